using Dapper;
using LearnHub.Grains.Learners;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Learners;

/// <summary>
/// The learner grain's state in Orleans' ADO.NET persistence (migration 0016's named queries), on both engines: it
/// survives a restart, and two activations of one learner (two clusters on one database, as during a membership
/// change) cannot leave two rows or overwrite each other.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class LearnerStateTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    // One value over a learner's state rows: how many there are, or the version of the one there is.
    private static async Task<T> StateRowAsync<T>(LearnHubDatabase database, string email, string value)
    {
        await using var connection = await database.OpenAsync(default);
        return (await connection.ExecuteScalarAsync<T>(
            $"SELECT {value} FROM orleansstorage WHERE graintypestring = 'learner' AND grainidextensionstring = @email", new { email }))!;
    }

    private static Task<long> RowsAsync(LearnHubDatabase database, string email) => StateRowAsync<long>(database, email, "COUNT(*)");

    private static Task<int> StateVersionAsync(LearnHubDatabase database, string email) => StateRowAsync<int>(database, email, "version");

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Preferences_SurviveARestartOfTheSilo(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using (var before = await TestSilo.StartAsync(database, _clock))
        {
            var learner = before.Grains.GetGrain<ILearnerGrain>("ana@example.org");
            await learner.SetTimeZoneAsync("America/Phoenix");
            await learner.RevokeFeedAsync();
            await learner.RevokeFeedAsync();
        }

        await using var after = await TestSilo.StartAsync(database, _clock);

        Assert.Equal(new LearnerPreferences("America/Phoenix", 2), await after.Grains.GetGrain<ILearnerGrain>("ana@example.org").PreferencesAsync());
        Assert.Equal(1, await RowsAsync(database, "ana@example.org"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheLanguagePreference_SurvivesReactivation_AndRefusesALanguageLearnHubDoesNotWriteIn(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using (var before = await TestSilo.StartAsync(database, _clock))
        {
            var learner = before.Grains.GetGrain<ILearnerGrain>("ana@example.org");
            Assert.Null((await learner.PreferencesAsync()).Language);
            Assert.True(await learner.SetLanguageAsync("ZH-HANS"));
            Assert.False(await learner.SetLanguageAsync("fr"));
        }

        await using var after = await TestSilo.StartAsync(database, _clock);

        var preferences = await after.Grains.GetGrain<ILearnerGrain>("ana@example.org").PreferencesAsync();
        Assert.Equal(("zh-Hans", 0), (preferences.Language, preferences.FeedTokenVersion));
        Assert.Equal(1, await RowsAsync(database, "ana@example.org"));
    }

    private LearnerRegistration Registered(string email, string zone, string? language, TimeSpan after) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "secret", "Dee", email, "County", "Caseworker", zone, "",
            Grains.Registrations.RegistrationStatus.Confirmed, 1, _clock.GetUtcNow() + after) { Language = language };

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ANewLearnersFirstRegistration_KeepsItsZoneAndLanguageInOneWrite_AndOneThatChangesNothingWritesNothing(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using (var silo = await TestSilo.StartAsync(database, _clock))
        {
            var learner = silo.Grains.GetGrain<ILearnerGrain>("dee@example.org");
            await learner.RecordAsync([Registered("dee@example.org", "America/Denver", "es", TimeSpan.Zero)]);
            // The first write inserts the row at version 1: the zone and the language went in together.
            Assert.Equal(1, await StateVersionAsync(database, "dee@example.org"));

            // Another session in the same language: the preferred zone stays the first one, and nothing is written.
            await learner.RecordAsync([Registered("dee@example.org", "Europe/Paris", "es", TimeSpan.FromMinutes(1))]);
            Assert.Equal(1, await StateVersionAsync(database, "dee@example.org"));

            // A later registration in another language changes the language: one more write.
            await learner.RecordAsync([Registered("dee@example.org", "Europe/Paris", "zh-Hans", TimeSpan.FromMinutes(2))]);
            Assert.Equal(2, await StateVersionAsync(database, "dee@example.org"));
        }

        await using var after = await TestSilo.StartAsync(database, _clock);
        var preferences = await after.Grains.GetGrain<ILearnerGrain>("dee@example.org").PreferencesAsync();
        Assert.Equal(("America/Denver", "zh-Hans"), (preferences.TimeZone, preferences.Language));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TwoActivationsOfOneLearner_WritingFirstAtOnce_LeaveOneRowWithBothChanges(DatabaseProvider provider)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider, _clock);
        using var other = new LearnHubDatabase(provider, connectionString);
        await using var first = await TestSilo.StartAsync(database, _clock);
        await using var second = await TestSilo.StartAsync(other, _clock);
        var a = first.Grains.GetGrain<ILearnerGrain>("bo@example.org");
        var b = second.Grains.GetGrain<ILearnerGrain>("bo@example.org");
        // Both activate (each reads "no state yet") before either writes.
        await Task.WhenAll(a.PreferencesAsync(), b.PreferencesAsync());

        await a.SetTimeZoneAsync("America/Chicago");
        var version = await b.RevokeFeedAsync();

        // b's first write met a's row: the version check refused it, b read what a wrote and applied its change to that.
        Assert.Equal(1, version);
        Assert.Equal(1, await RowsAsync(database, "bo@example.org"));
        await using var third = await TestSilo.StartAsync(database, _clock);
        Assert.Equal(new LearnerPreferences("America/Chicago", 1), await third.Grains.GetGrain<ILearnerGrain>("bo@example.org").PreferencesAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task NegativeControl_WithoutTheUniqueKey_TwoFirstWritesLeaveTwoRows(DatabaseProvider provider)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider, _clock);
        await using (var connection = await database.OpenAsync(default))
        {
            // The provider's own script: no unique key on the grain's identity.
            await connection.ExecuteAsync(provider == DatabaseProvider.PostgreSql
                ? "DROP INDEX ux_orleansstorage_identity"
                : "DROP INDEX UX_OrleansStorage_Identity");
        }

        using var other = new LearnHubDatabase(provider, connectionString);
        await using var first = await TestSilo.StartAsync(database, _clock);
        await using var second = await TestSilo.StartAsync(other, _clock);
        var a = first.Grains.GetGrain<ILearnerGrain>("cy@example.org");
        var b = second.Grains.GetGrain<ILearnerGrain>("cy@example.org");
        await Task.WhenAll(a.PreferencesAsync(), b.PreferencesAsync());

        await a.SetTimeZoneAsync("America/Chicago");
        await b.RevokeFeedAsync();

        Assert.Equal(2, await RowsAsync(database, "cy@example.org"));
    }
}
