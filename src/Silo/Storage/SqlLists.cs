using Dapper;

namespace LearnHub.Silo.Storage;

/// <summary>IN lists that read the same on both engines.</summary>
internal static class SqlLists
{
    /// <summary>
    /// "@p0, @p1, …" and their values. Dapper hands a list parameter to Npgsql as one array (which IN cannot take) but
    /// expands it for SQLite; one parameter per value works on both.
    /// </summary>
    public static (string InList, DynamicParameters Parameters) Parameters(string prefix, IReadOnlyCollection<string> values)
    {
        var parameters = new DynamicParameters();
        var names = new List<string>(values.Count);
        foreach (var value in values)
        {
            var name = $"{prefix}{names.Count}";
            parameters.Add(name, value);
            names.Add("@" + name);
        }

        return (string.Join(", ", names), parameters);
    }
}
