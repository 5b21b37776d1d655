using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Storage;

/// <summary>
/// LearnHub:DataProtection — the key that encrypts the data-protection key ring where it is stored (the database).
/// Sign-in cookies, antiforgery tokens, manage links, media passes and certificate keys are all protected with that ring;
/// stored in clear, anyone able to read the database could forge any of them.
/// </summary>
public sealed class DataProtectionKeyOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub:DataProtection";

    /// <summary>Where the embedded default keeps the key it generates, inside the data directory.</summary>
    public const string GeneratedKeyFile = "data-protection.key";

    /// <summary>32 random bytes in base64 (<c>openssl rand -base64 32</c>). LearnHub:DataProtection:Key.</summary>
    public string? Key { get; set; }

    /// <summary>Keys rotated out, still read but never written with. LearnHub:DataProtection:PreviousKeys.</summary>
    public List<string> PreviousKeys { get; set; } = [];

    /// <summary>A PKCS#12 (.pfx) file with an RSA certificate and its private key, instead of a key. LearnHub:DataProtection:Certificate.</summary>
    public string? Certificate { get; set; }

    /// <summary>The certificate file's password, if it has one. LearnHub:DataProtection:CertificatePassword.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A certificate rotated out, still read. LearnHub:DataProtection:PreviousCertificate (and :PreviousCertificatePassword).</summary>
    public string? PreviousCertificate { get; set; }

    /// <summary>The previous certificate file's password. LearnHub:DataProtection:PreviousCertificatePassword.</summary>
    public string? PreviousCertificatePassword { get; set; }

    /// <summary>
    /// Sentences naming the setting that is wrong; empty when the key ring can be protected. In Production on PostgreSQL
    /// (several nodes sharing one database) a key must be given: one generated per data directory would differ per node.
    /// </summary>
    public IEnumerable<string> Problems(bool production, DatabaseProvider provider)
    {
        var hasKey = !string.IsNullOrWhiteSpace(Key);
        var hasCertificate = !string.IsNullOrWhiteSpace(Certificate);
        if (hasKey && hasCertificate)
        {
            yield return "Set either LearnHub:DataProtection:Key or LearnHub:DataProtection:Certificate, not both.";
        }

        if (!hasKey && !hasCertificate && production && provider == DatabaseProvider.PostgreSql)
        {
            yield return "LearnHub:DataProtection:Key is required in Production on PostgreSQL: it encrypts the data-protection keys stored in the database. "
                + "Set the same 32 random bytes in base64 (openssl rand -base64 32) on every node, as LearnHub__DataProtection__Key, "
                + "or give a certificate file as LearnHub:DataProtection:Certificate.";
        }

        if (hasKey && KeyRingEncryption.ParseKey(Key) is null)
        {
            yield return "LearnHub:DataProtection:Key must be 32 random bytes in base64 (openssl rand -base64 32).";
        }

        foreach (var (previous, index) in PreviousKeys.Select((k, i) => (k, i)).Where(p => KeyRingEncryption.ParseKey(p.k) is null))
        {
            yield return $"LearnHub:DataProtection:PreviousKeys:{index} must be 32 random bytes in base64, like the key it was.";
        }

        foreach (var (setting, path, password) in new[] { ("Certificate", Certificate, CertificatePassword), ("PreviousCertificate", PreviousCertificate, PreviousCertificatePassword) })
        {
            if (!string.IsNullOrWhiteSpace(path) && KeyRingEncryption.LoadCertificateProblem(path, password) is { } problem)
            {
                yield return $"LearnHub:DataProtection:{setting} ({path}): {problem}";
            }
        }
    }
}

/// <summary>
/// How the data-protection key ring is encrypted at rest: with the operator's key (AES-256-GCM) or certificate
/// (ASP.NET Core's own certificate encryptor), or, in the embedded default, with a key generated once into the data
/// directory. Also brings stored keys under the current protection at start: keys stored in clear before this existed,
/// and keys encrypted with a key or certificate since rotated out.
/// </summary>
public sealed partial class KeyRingEncryption(IOptions<DataProtectionKeyOptions> options, IOptions<LearnHubOptions> storage, ILoggerFactory loggers)
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private readonly Lazy<Protection> _protection = new(() => Resolve(options.Value, storage.Value, loggers), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ILogger _logger = loggers.CreateLogger<KeyRingEncryption>();

    /// <summary>Encrypts key-ring entries as they are written.</summary>
    public IXmlEncryptor Encryptor => _protection.Value.Encryptor;

    /// <summary>The certificates that may decrypt stored entries (the current and the previous one) that can be loaded.</summary>
    public static X509Certificate2[] DecryptionCertificates(DataProtectionKeyOptions? options) =>
        options is null ? [] : new[] { (options.Certificate, options.CertificatePassword), (options.PreviousCertificate, options.PreviousCertificatePassword) }
            .Where(c => !string.IsNullOrWhiteSpace(c.Item1) && LoadCertificateProblem(c.Item1, c.Item2) is null)
            .Select(c => LoadCertificate(c.Item1!, c.Item2))
            .ToArray();

    /// <summary>The symmetric keys that may decrypt stored entries, by id (the current and the previous ones).</summary>
    internal IReadOnlyDictionary<string, byte[]> Keys => _protection.Value.Keys;

    /// <summary>The 32-byte key in a base64 setting, or null.</summary>
    public static byte[]? ParseKey(string? value)
    {
        var buffer = new byte[32];
        return !string.IsNullOrWhiteSpace(value) && Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written == 32 ? buffer : null;
    }

    /// <summary>Why a certificate file cannot protect the key ring, or null when it can.</summary>
    public static string? LoadCertificateProblem(string path, string? password)
    {
        try
        {
            using var certificate = LoadCertificate(path, password);
            return certificate.GetRSAPrivateKey() is null ? "the file holds no RSA private key." : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"cannot be read ({e.Message.TrimEnd('.')}).";
        }
    }

    /// <summary>
    /// Rewrites every stored key-ring entry that is not under the current protection: decrypted with whichever key or
    /// certificate it was encrypted with, then encrypted with the current one. Runs at every start, after migrations.
    /// An entry nothing configured can decrypt is left as it is and reported: it stays unusable, like every cookie and
    /// link made with it, until the key that encrypted it is configured again.
    /// </summary>
    public async Task<int> EncryptStoredKeysAsync(LearnHubDatabase database, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var protection = _protection.Value;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var rows = (await scope.Connection.QueryAsync<(string friendly_name, string xml)>(new CommandDefinition(
            "SELECT friendly_name, xml FROM data_protection_keys" + database.LockRowSuffix, transaction: scope.Transaction, cancellationToken: cancellationToken))).ToList();
        var rewritten = 0;
        foreach (var (name, xml) in rows)
        {
            var entry = XElement.Parse(xml);
            try
            {
                if (!Reprotect(entry, protection, services))
                {
                    continue;
                }
            }
            catch (CryptographicException e)
            {
                LogUndecryptable(_logger, name, e.Message);
                continue;
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE data_protection_keys SET xml = @xml WHERE friendly_name = @name",
                new { name, xml = entry.ToString(SaveOptions.DisableFormatting) }, scope.Transaction, cancellationToken: cancellationToken));
            rewritten++;
        }

        await scope.CommitAsync(cancellationToken);
        if (rewritten > 0)
        {
            LogRewritten(_logger, rewritten);
        }

        return rewritten;
    }

    // The same shape ASP.NET Core's key manager writes and reads: an element marked requiresEncryption is replaced by
    // <encryptedSecret decryptorType="…"> holding what the encryptor made of it.
    private static bool Reprotect(XElement entry, Protection protection, IServiceProvider services)
    {
        var changed = false;
        foreach (var secret in entry.Descendants(DataProtection + "encryptedSecret").Where(s => !protection.IsCurrent(s)).ToList())
        {
            var decryptorType = Type.GetType((string?)secret.Attribute("decryptorType") ?? "", throwOnError: false)
                ?? throw new CryptographicException($"Its decryptor type '{(string?)secret.Attribute("decryptorType")}' is unknown.");
            var decryptor = (IXmlDecryptor)ActivatorUtilities.CreateInstance(services, decryptorType);
            secret.ReplaceWith(decryptor.Decrypt(secret.Elements().Single()));
            changed = true;
        }

        foreach (var plain in entry.Descendants().Where(e => (bool?)e.Attribute(DataProtection + "requiresEncryption") == true).ToList())
        {
            var encrypted = protection.Encryptor.Encrypt(new XElement(plain));
            plain.ReplaceWith(new XElement(DataProtection + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
            changed = true;
        }

        return changed;
    }

    private static Protection Resolve(DataProtectionKeyOptions options, LearnHubOptions storage, ILoggerFactory loggers)
    {
        if (!string.IsNullOrWhiteSpace(options.Certificate))
        {
            var current = LoadCertificate(options.Certificate, options.CertificatePassword);
            return new Protection(new CertificateXmlEncryptor(current, loggers), new Dictionary<string, byte[]>(),
                s => s.Descendants().Any(e => e.Name.LocalName == "X509Certificate" && e.Value.Trim() == Convert.ToBase64String(current.RawData)));
        }

        var key = ParseKey(options.Key) ?? GeneratedKey(storage.DataDirectoryFullPath);
        var keys = options.PreviousKeys.Select(ParseKey).OfType<byte[]>().Prepend(key).ToDictionary(AesGcmXmlEncryptor.IdOf, k => k);
        var currentId = AesGcmXmlEncryptor.IdOf(key);
        return new Protection(new AesGcmXmlEncryptor(key), keys,
            s => s.Elements(AesGcmXmlEncryptor.EncryptedKey).Any(e => (string?)e.Attribute("keyId") == currentId));
    }

    // The embedded default: a key made once, on first start, readable by this user only. Two processes starting at
    // once (the web app and a silo sharing ./data) both end up with the first one written.
    private static byte[] GeneratedKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, DataProtectionKeyOptions.GeneratedKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, Encoding.ASCII, file))
            {
                writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        return ParseKey(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} does not hold a data-protection key (32 bytes in base64). Restore it from a backup, or set LearnHub:DataProtection:Key.");
    }

    private static X509Certificate2 LoadCertificate(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);

    private sealed record Protection(IXmlEncryptor Encryptor, IReadOnlyDictionary<string, byte[]> Keys, Func<XElement, bool> IsCurrent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Count} stored data-protection key(s) under the current LearnHub:DataProtection key")]
    private static partial void LogRewritten(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The stored data-protection key {Name} cannot be decrypted with the configured LearnHub:DataProtection key or certificate ({Reason}); cookies and links made with it will be refused until that key is configured again")]
    private static partial void LogUndecryptable(ILogger logger, string name, string reason);
}

/// <summary>
/// Encrypts a key-ring entry with a 256-bit key (AES-GCM, which also authenticates it: an entry changed in the
/// database fails to decrypt rather than yielding a key of the attacker's choosing).
/// </summary>
public sealed class AesGcmXmlEncryptor(byte[] key) : IXmlEncryptor
{
    /// <summary>The element an encrypted entry is written as.</summary>
    public static readonly XName EncryptedKey = XName.Get("encryptedKey", "urn:learnhub:data-protection:aes-gcm:v1");

    // Binds the ciphertext to this use: the same key used elsewhere cannot produce an entry that decrypts here.
    internal static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes("LearnHub data-protection key ring v1");

    /// <summary>A key's public id (not secret: a hash prefix), so an entry names the key that decrypts it.</summary>
    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(EncryptedKey,
            new XAttribute("keyId", IdOf(key)),
            new XComment(" Encrypted with LearnHub:DataProtection:Key (AES-256-GCM): nonce, tag, ciphertext. "),
            new XElement(EncryptedKey.Namespace + "value", Convert.ToBase64String([.. nonce, .. tag, .. ciphertext])));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="AesGcmXmlEncryptor"/> wrote, with whichever configured key the entry names.</summary>
/// <remarks>ASP.NET Core's key manager creates decryptors by type name, passing its service provider.</remarks>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var keyId = (string?)encryptedElement.Attribute("keyId") ?? "";
        if (!services.GetRequiredService<KeyRingEncryption>().Keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The entry was encrypted with a key (id {keyId}) that is neither LearnHub:DataProtection:Key nor one of its PreviousKeys.");
        }

        var sealedBytes = Convert.FromBase64String(encryptedElement.Element(AesGcmXmlEncryptor.EncryptedKey.Namespace + "value")?.Value ?? "");
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        if (sealedBytes.Length < nonceSize + tagSize)
        {
            throw new CryptographicException("The encrypted entry is truncated.");
        }

        var plaintext = new byte[sealedBytes.Length - nonceSize - tagSize];
        using (var aes = new AesGcm(key, tagSize))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, nonceSize), sealedBytes.AsSpan(nonceSize + tagSize), sealedBytes.AsSpan(nonceSize, tagSize), plaintext, AesGcmXmlEncryptor.AssociatedData);
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
