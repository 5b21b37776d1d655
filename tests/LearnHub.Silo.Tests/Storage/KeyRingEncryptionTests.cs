using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Storage;

/// <summary>
/// The data-protection key ring is encrypted where it is stored: what it protects (sign-in cookies, manage links, media
/// passes, certificate keys) cannot be forged or opened with the database alone.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class KeyRingEncryptionTests(DatabaseFixture fixture)
{
    private const string Purpose = "LearnHub.KeyRingEncryptionTests";

    /// <summary>A started backend host (migrations, key-ring encryption, the data-protection warm-up) as a node starts it.</summary>
    private static async Task<IHost> StartAsync(DatabaseProvider provider, string connectionString, string dataDirectory, Dictionary<string, string?> protection)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(protection)
        {
            ["LearnHub:Database:Provider"] = provider.ToString(),
            ["LearnHub:Database:ConnectionString"] = connectionString,
            ["LearnHub:DataDirectory"] = dataDirectory,
            ["LearnHub:SeedDemoData"] = "false",
        });
        builder.AddLearnHubStorage();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static Dictionary<string, string?> WithKey(string key, params string[] previous)
    {
        var settings = new Dictionary<string, string?> { ["LearnHub:DataProtection:Key"] = key };
        for (var i = 0; i < previous.Length; i++)
        {
            settings[$"LearnHub:DataProtection:PreviousKeys:{i}"] = previous[i];
        }

        return settings;
    }

    private static async Task<string> ProtectAsync(IHost host, string secret)
    {
        var token = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect(secret);
        await host.StopAsync();
        host.Dispose();
        return token;
    }

    /// <summary>What the host unprotects the token to, or null when it cannot.</summary>
    private static async Task<string?> UnprotectAsync(IHost host, string token)
    {
        try
        {
            return host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private static async Task<IReadOnlyList<string>> StoredKeysAsync(LearnHubDatabase database)
    {
        await using var connection = await database.OpenAsync(default);
        return [.. await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")];
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheStoredRing_IsEncrypted_AndOnlyTheKeyThatEncryptedItOpensWhatItProtected(DatabaseProvider provider)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider);
        var token = await ProtectAsync(await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.DataProtection)), "manage link");

        var stored = await StoredKeysAsync(database);
        var withAnotherKey = await UnprotectAsync(await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.Other)), token);
        var withTheKey = await UnprotectAsync(await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.DataProtection)), token);

        Assert.NotEmpty(stored);
        Assert.All(stored, xml => Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal));
        Assert.All(stored, xml => Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal));
        Assert.Null(withAnotherKey);
        Assert.Equal("manage link", withTheKey);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RotatingTheKey_ReencryptsTheStoredRingAtStart_SoTheOldKeyCanThenGo(DatabaseProvider provider)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider);
        var token = await ProtectAsync(await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.DataProtection)), "certificate key");

        // Step 2 of the README's rotation: the new key current, the old one still readable.
        await (await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.Other, TestKeys.DataProtection))).StopAsync();
        var withTheNewKeyAlone = await UnprotectAsync(await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.Other)), token);

        Assert.Equal("certificate key", withTheNewKeyAlone);
        var oldKeyId = AesGcmXmlEncryptor.IdOf(Convert.FromBase64String(TestKeys.DataProtection));
        Assert.All(await StoredKeysAsync(database), xml => Assert.DoesNotContain(oldKeyId, xml, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task KeysStoredInClearByAnEarlierVersion_AreEncryptedAtStart_AndWhatTheyProtectedStillOpens(DatabaseProvider provider)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider);
        // What LearnHub did before: the same repository, no encryptor.
        var earlier = new ServiceCollection().AddLogging();
        earlier.AddDataProtection().SetApplicationName("LearnHub");
        earlier.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new DatabaseXmlRepository(database, new TestClock()));
        string token;
        await using (var services = earlier.BuildServiceProvider())
        {
            token = services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("feed token");
        }

        Assert.Contains(await StoredKeysAsync(database), xml => xml.Contains("masterKey", StringComparison.Ordinal));

        var opened = await UnprotectAsync(await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.DataProtection)), token);

        Assert.Equal("feed token", opened);
        Assert.All(await StoredKeysAsync(database), xml => Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACertificateFile_CanProtectTheRing_InsteadOfAKey(DatabaseProvider provider)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider);
        var directory = fixture.NewDirectory();
        var pfx = Path.Combine(directory, "data-protection.pfx");
        using (var rsa = RSA.Create(3072))
        {
            var request = new CertificateRequest("CN=LearnHub data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx password"));
        }

        var withCertificate = new Dictionary<string, string?> { ["LearnHub:DataProtection:Certificate"] = pfx, ["LearnHub:DataProtection:CertificatePassword"] = "pfx password" };
        var token = await ProtectAsync(await StartAsync(provider, connectionString, directory, withCertificate), "media pass");

        var withAKey = await UnprotectAsync(await StartAsync(provider, connectionString, fixture.NewDirectory(), WithKey(TestKeys.DataProtection)), token);
        var withTheCertificate = await UnprotectAsync(await StartAsync(provider, connectionString, directory, withCertificate), token);

        Assert.Contains(await StoredKeysAsync(database), xml => xml.Contains("X509Certificate", StringComparison.Ordinal));
        Assert.Null(withAKey);
        Assert.Equal("media pass", withTheCertificate);
    }

    [Fact]
    public async Task TheEmbeddedDefault_GeneratesItsKeyOnce_IntoTheDataDirectory_ForItsOwnerOnly()
    {
        var (_, connectionString) = await fixture.NewDatabaseAsync(DatabaseProvider.Sqlite);
        var directory = fixture.NewDirectory();
        var file = Path.Combine(directory, DataProtectionKeyOptions.GeneratedKeyFile);

        var token = await ProtectAsync(await StartAsync(DatabaseProvider.Sqlite, connectionString, directory, []), "sign-in cookie");
        var generated = await File.ReadAllTextAsync(file);
        var afterRestart = await UnprotectAsync(await StartAsync(DatabaseProvider.Sqlite, connectionString, directory, []), token);

        Assert.Equal(32, Convert.FromBase64String(generated.Trim()).Length);
        Assert.Equal(generated, await File.ReadAllTextAsync(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal("sign-in cookie", afterRestart);
    }

    [Theory]
    [InlineData("", "LearnHub:DataProtection:Key is required in Production on PostgreSQL")]
    [InlineData("c2hvcnQ=", "LearnHub:DataProtection:Key must be 32 random bytes in base64")]
    public async Task Start_IsRefused_NamingTheSetting_InProductionOnPostgreSql_WithoutAUsableKey(string key, string message)
    {
        var (_, connectionString) = await fixture.NewDatabaseAsync(DatabaseProvider.PostgreSql);

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(DatabaseProvider.PostgreSql, connectionString, fixture.NewDirectory(), WithKey(key)));

        Assert.Contains(message, refusal.Message, StringComparison.Ordinal);
    }
}
