using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Branding;
using LearnHub.Grains.Time;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Branding;

/// <summary>Who changed the brand, for the audit log.</summary>
public sealed record BrandActor(Guid? Id, string? Email, string? FromAddress);

/// <summary>
/// The organisation's brand: one row that admins write (each change audited in its transaction) and every page, email
/// and certificate reads. Reads are served from memory for a few seconds, since the layout of every page asks; a
/// change made here is seen at once on this node and within <see cref="CacheFor"/> on the others.
/// </summary>
public sealed class BrandingStore(LearnHubDatabase database, LearnHubClock clock)
{
    /// <summary>How long another node may show the brand as it was before a change.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private (Brand Brand, long ReadAtTicks)? _cached;

    /// <summary>The brand as it is now (or LearnHub's default when none was saved).</summary>
    public async Task<Brand> CurrentAsync(CancellationToken cancellationToken)
    {
        // Environment.TickCount64, not the injected clock: this is a cache's age on this machine, not domain time (the
        // tests pin the clock, which must not freeze a cache).
        if (_cached is { } cached && Environment.TickCount64 - cached.ReadAtTicks < (long)CacheFor.TotalMilliseconds)
        {
            return cached.Brand;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("SELECT * FROM branding WHERE id = 1", cancellationToken: cancellationToken));
        var brand = row?.ToBrand() ?? Brand.Default;
        _cached = (brand, Environment.TickCount64);
        return brand;
    }

    /// <summary>Saves the organisation's name, provider number and signatory; throws when the details are invalid.</summary>
    public async Task SaveDetailsAsync(BrandDetails details, BrandActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(actor);
        var problems = BrandRules.Problems(details);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems.Values));
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await EnsureRowAsync(scope, cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE branding SET organisation_name = @name, provider_number = @provider, signatory_name = @signatory, signatory_title = @title, updated_utc_ms = @at
            WHERE id = 1
            """,
            new
            {
                name = details.OrganisationName!.Trim(), provider = Blank(details.ProviderNumber), signatory = Blank(details.SignatoryName),
                title = Blank(details.SignatoryTitle), at = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            scope.Transaction, cancellationToken: cancellationToken));
        await AuditAsync(scope, actor, "branding.details-changed",
            $"Organisation \"{details.OrganisationName!.Trim()}\", provider number \"{Blank(details.ProviderNumber) ?? ""}\", signatory \"{Blank(details.SignatoryName) ?? ""}\".", cancellationToken);
        await scope.CommitAsync(cancellationToken);
        _cached = null;
    }

    /// <summary>Stores an image already checked by <see cref="BrandRules.Inspect"/>, or removes it when null.</summary>
    public async Task SetImageAsync(BrandImageKind kind, BrandImage? image, BrandActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var column = kind == BrandImageKind.Logo ? "logo" : "signature";
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await EnsureRowAsync(scope, cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE branding SET {column} = @content, {column}_type = @type, {column}_width = @width, {column}_height = @height, {column}_sha256 = @sha, updated_utc_ms = @at
            WHERE id = 1
            """,
            new { content = image?.Content, type = image?.ContentType, width = image?.Width, height = image?.Height, sha = image?.Sha256, at = clock.GetUtcNow().ToUnixTimeMilliseconds() },
            scope.Transaction, cancellationToken: cancellationToken));
        await AuditAsync(scope, actor, image is null ? $"branding.{column}-removed" : $"branding.{column}-changed",
            image is null ? $"Removed the {column}." : $"New {column}: {image.ContentType}, {image.Width}×{image.Height} px, SHA-256 {image.Sha256}.", cancellationToken);
        await scope.CommitAsync(cancellationToken);
        _cached = null;
    }

    // The row is made on first save with LearnHub's default name; the UPDATE that follows then always finds it.
    private async Task EnsureRowAsync(WriteScope scope, CancellationToken cancellationToken) =>
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO branding (id, organisation_name, updated_utc_ms) VALUES (1, @name, @at) ON CONFLICT (id) DO NOTHING",
            new { name = Brand.Default.OrganisationName, at = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));

    private Task AuditAsync(WriteScope scope, BrandActor actor, string action, string detail, CancellationToken cancellationToken) =>
        AuditLog.AppendAsync(scope, new AuditEntry(clock.GetUtcNow(), actor.Id, actor.Email, action, "branding", "1", actor.FromAddress, detail), cancellationToken);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed class Row
    {
        public string organisation_name { get; set; } = "";
        public string? provider_number { get; set; }
        public string? signatory_name { get; set; }
        public string? signatory_title { get; set; }
        public byte[]? logo { get; set; }
        public string? logo_type { get; set; }
        public long? logo_width { get; set; }
        public long? logo_height { get; set; }
        public string? logo_sha256 { get; set; }
        public byte[]? signature { get; set; }
        public string? signature_type { get; set; }
        public long? signature_width { get; set; }
        public long? signature_height { get; set; }
        public string? signature_sha256 { get; set; }

        public Brand ToBrand() => new(organisation_name, provider_number, signatory_name, signatory_title,
            Image(logo, logo_type, logo_width, logo_height, logo_sha256), Image(signature, signature_type, signature_width, signature_height, signature_sha256));

        private static BrandImage? Image(byte[]? content, string? type, long? width, long? height, string? sha) =>
            content is null || type is null || sha is null ? null : new BrandImage(content, type, (int)(width ?? 0), (int)(height ?? 0), sha);
    }
}
