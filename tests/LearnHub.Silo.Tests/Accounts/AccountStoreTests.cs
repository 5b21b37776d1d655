using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Accounts;

[Collection(DatabaseCollection.Name)]
public class AccountStoreTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CheckPassword_ReturnsTheAccount_OnlyForItsOwnPassword(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var store = new AccountStore(database, _clock);
        await store.CreateAsync("Admin@Example.org", "Ada", "correct horse battery staple", [Role.Admin], default);
        await store.CreateAsync("linkonly@example.org", "Lin", null, [], default);

        var right = await store.CheckPasswordAsync("admin@example.org", "correct horse battery staple", default);

        Assert.Equal([Role.Admin], right!.Roles);
        Assert.Null(await store.CheckPasswordAsync("admin@example.org", "not the password", default));
        Assert.Null(await store.CheckPasswordAsync("nobody@example.org", "correct horse battery staple", default));
        Assert.Null(await store.CheckPasswordAsync("linkonly@example.org", "", default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_RefusesBadInput_AndADuplicateEmail_WritingNothing(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var store = new AccountStore(database, _clock);
        await store.CreateAsync("ann@example.org", "Ann", "correct horse battery staple", [], default);

        var malformed = await store.CreateAsync("ann-at-example", "Ann", "correct horse battery staple", [], default);
        var weak = await store.CreateAsync("bob@example.org", "Bob", "password1234", [], default);
        var duplicate = await store.CreateAsync("ANN@example.org", "Ann", "another long passphrase", [], default);

        Assert.Contains("email", malformed.Errors.Keys);
        Assert.Contains("password", weak.Errors.Keys);
        Assert.Equal("An account with this email exists already.", duplicate.Errors["email"]);
        await using var connection = await database.OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheAuditLog_IsAppendOnly(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var audit = new AuditLog(database, _clock);
        await audit.WriteAsync(null, "admin@example.org", "outbox.retry", "outbox-message", "m1", "127.0.0.1", "", default);

        await using var connection = await database.OpenAsync(default);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("UPDATE audit_log SET action = 'nothing'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("DELETE FROM audit_log"));
        Assert.Equal("outbox.retry", Assert.Single(await audit.ListAsync(null, "admin@", 10, default)).Action);
    }
}
