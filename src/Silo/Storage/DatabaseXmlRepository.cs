using System.Xml.Linq;
using Dapper;
using LearnHub.Grains.Time;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace LearnHub.Silo.Storage;

/// <summary>
/// The data-protection key ring in LearnHub's database: every web node and silo reads the same keys, so a sign-in
/// cookie, an antiforgery token or an emailed manage link made by one is valid on all, across restarts.
/// </summary>
public sealed class DatabaseXmlRepository(LearnHubDatabase database, LearnHubClock clock) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_utc_ms").Select(XElement.Parse).ToList();
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        // IXmlRepository is synchronous; the key ring is written rarely (a new key every 90 days).
        var scope = database.BeginWriteAsync(CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            scope.Connection.Execute(
                "INSERT INTO data_protection_keys (friendly_name, xml, created_utc_ms) VALUES (@name, @xml, @at) ON CONFLICT (friendly_name) DO NOTHING",
                new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), at = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction);
            scope.Transaction.Commit();
        }
        finally
        {
            scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
