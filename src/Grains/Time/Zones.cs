namespace LearnHub.Grains.Time;

/// <summary>IANA time-zone lookups: LearnHub stores and accepts IANA ids only, never Windows ids.</summary>
public static class Zones
{
    /// <summary>Finds an IANA zone; false for unknown ids and for Windows-style ids the OS would translate.</summary>
    public static bool TryFind(string? ianaId, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(ianaId) || ianaId.Length > 64)
        {
            return false;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var found) || !found.HasIanaId)
        {
            return false;
        }

        zone = found;
        return true;
    }

    /// <summary>Finds an IANA zone that storage already validated.</summary>
    public static TimeZoneInfo Get(string ianaId) =>
        TryFind(ianaId, out var zone) ? zone : throw new DomainException($"'{ianaId}' is not an IANA time-zone id.");
}
