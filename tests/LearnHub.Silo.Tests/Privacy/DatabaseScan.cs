using Dapper;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Tests.Privacy;

/// <summary>Reads a whole database the way an auditor would: every table's row count, every text column's content.</summary>
public static class DatabaseScan
{
    /// <summary>Every table with its text columns (all schemas but the engine's own).</summary>
    public static async Task<IReadOnlyList<(string Table, IReadOnlyList<string> TextColumns)>> TablesAsync(LearnHubDatabase database)
    {
        await using var connection = await database.OpenAsync(default);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            var columns = await connection.QueryAsync<(string schema, string table, string column, string type)>(
                """
                SELECT c.table_schema, c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
                WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
                """);
            return columns.GroupBy(c => $"\"{c.schema}\".\"{c.table}\"")
                .Select(g => (g.Key, (IReadOnlyList<string>)g.Where(c => c.type is "text" or "character varying" or "character" or "json" or "jsonb").Select(c => c.column).ToList()))
                .OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        }

        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).ToList();
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var table in tables)
        {
            var columns = await connection.QueryAsync<(long cid, string name, string type)>($"SELECT cid, name, type FROM pragma_table_info('{table}')");
            result.Add(($"\"{table}\"", columns.Where(c => c.type is "" or "TEXT" || c.type.Contains("CHAR", StringComparison.OrdinalIgnoreCase)).Select(c => c.name).ToList()));
        }

        return result;
    }

    /// <summary>Each table's row count.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> RowCountsAsync(LearnHubDatabase database)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(default);
        foreach (var (table, _) in await TablesAsync(database))
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        }

        return counts;
    }

    /// <summary>"table.column" for every text cell that contains <paramref name="needle"/>, ignoring case.</summary>
    public static async Task<IReadOnlyList<string>> WhereTextHoldsAsync(LearnHubDatabase database, string needle)
    {
        var hits = new List<string>();
        await using var connection = await database.OpenAsync(default);
        foreach (var (table, columns) in await TablesAsync(database))
        {
            foreach (var column in columns)
            {
                var found = await connection.ExecuteScalarAsync<long>(
                    $"SELECT COUNT(*) FROM {table} WHERE LOWER(CAST(\"{column}\" AS TEXT)) LIKE @needle", new { needle = $"%{needle.ToLowerInvariant()}%" });
                if (found > 0)
                {
                    hits.Add($"{table}.{column} ({found})");
                }
            }
        }

        return hits;
    }
}
