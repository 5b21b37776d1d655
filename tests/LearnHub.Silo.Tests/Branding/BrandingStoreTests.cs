using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Branding;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Branding;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Branding;

/// <summary>The organisation's brand row and a venue's address, stored and read back on both engines.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class BrandingStoreTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private static readonly BrandActor Admin = new(Guid.NewGuid(), "avery.admin@example.org", "127.0.0.1");

    private static async Task<IReadOnlyList<string>> AuditActionsAsync(LearnHubDatabase database)
    {
        await using var connection = await database.OpenAsync(default);
        return (await connection.QueryAsync<string>("SELECT action FROM audit_log WHERE object_type = 'branding' ORDER BY at_utc_ms, id")).ToList();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task BeforeAnyoneSavesIt_TheBrandIsLearnHubsOwn(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);

        Assert.Equal(Brand.Default, await new BrandingStore(database, _clock).CurrentAsync(default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task DetailsAndImages_RoundTrip_EachChangeAudited_AndARemovedImageIsGone(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var store = new BrandingStore(database, _clock);
        var logo = BrandRules.Inspect(TestImages.Png(240, 80)).Image!;
        var signature = BrandRules.Inspect(TestImages.Png(300, 90)).Image!;

        await store.SaveDetailsAsync(new BrandDetails(" Northern Workforce Academy ", "Approved provider #4821", "Dr. Alex Rivera", " "), Admin, default);
        _clock.Advance(TimeSpan.FromMinutes(1)); // the audit log lists by time
        await store.SetImageAsync(BrandImageKind.Logo, logo, Admin, default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await store.SetImageAsync(BrandImageKind.Signature, signature, Admin, default);
        var saved = await new BrandingStore(database, _clock).CurrentAsync(default); // a fresh store: another node

        Assert.Equal(("Northern Workforce Academy", "Approved provider #4821", "Dr. Alex Rivera", (string?)null),
            (saved.OrganisationName, saved.ProviderNumber, saved.SignatoryName, saved.SignatoryTitle));
        Assert.Equal(logo.Content, saved.Logo!.Content);
        Assert.Equal((logo.ContentType, 240, 80, logo.Sha256), (saved.Logo.ContentType, saved.Logo.Width, saved.Logo.Height, saved.Logo.Sha256));
        Assert.Equal(signature.Sha256, saved.Signature!.Sha256);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await store.SetImageAsync(BrandImageKind.Signature, null, Admin, default);
        Assert.Null((await new BrandingStore(database, _clock).CurrentAsync(default)).Signature);
        Assert.Equal(["branding.details-changed", "branding.logo-changed", "branding.signature-changed", "branding.signature-removed"], await AuditActionsAsync(database));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task InvalidDetails_AreRefused_AndChangeNothing(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var store = new BrandingStore(database, _clock);
        await store.SaveDetailsAsync(new BrandDetails("Northern Workforce Academy", null, null, null), Admin, default);

        await Assert.ThrowsAsync<DomainException>(() => store.SaveDetailsAsync(new BrandDetails("", null, null, null), Admin, default));

        Assert.Equal("Northern Workforce Academy", (await new BrandingStore(database, _clock).CurrentAsync(default)).OrganisationName);
        Assert.Equal(["branding.details-changed"], await AuditActionsAsync(database));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AVenueAddress_IsStoredWithTheSession_AndAnEditReplacesOrClearsIt(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var catalog = new GrainCatalog(silo.Services, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("trauma-informed", "Trauma-Informed", ""), default);
        var starts = _clock.GetUtcNow().AddDays(10);
        var id = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.InPersonTraining, "Training", "", starts, starts.AddHours(7), "America/Chicago", 40, [],
            "Dane County Human Services Learning Center", "Madison, WI") { VenueAddress = " 1202 Northport Dr " }, default);

        Assert.Equal("1202 Northport Dr", (await catalog.FindSessionAsync(id, default))!.VenueAddress);

        await catalog.UpdateSessionDetailsAsync(id, new SessionDetails("Training", "", null, "Dane County Human Services Learning Center", "Madison, WI", [])
        { VenueAddress = "1202 Northport Drive, Room 4" }, default);
        Assert.Equal("1202 Northport Drive, Room 4", (await catalog.FindSessionAsync(id, default))!.VenueAddress);

        await catalog.UpdateSessionDetailsAsync(id, new SessionDetails("Training", "", null, "Dane County Human Services Learning Center", "Madison, WI", []), default);
        Assert.Null((await catalog.FindSessionAsync(id, default))!.VenueAddress);
    }
}
