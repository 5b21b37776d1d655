using System.Buffers.Binary;
using LearnHub.Grains.Media;

namespace LearnHub.Grains.Branding;

/// <summary>Which of the organisation's two images.</summary>
public enum BrandImageKind
{
    /// <summary>The logo: in the site header, on every email and on certificates.</summary>
    Logo,

    /// <summary>The signature printed on certificates above the signatory's name.</summary>
    Signature,
}

/// <summary>An uploaded brand image as stored: its bytes, the type recognised from them, and its size in pixels.</summary>
public sealed record BrandImage(byte[] Content, string ContentType, int Width, int Height, string Sha256);

/// <summary>
/// The organisation's identity as pages, mail and certificates show it. Without a saved one, LearnHub's own name and
/// no images.
/// </summary>
public sealed record Brand(string OrganisationName, string? ProviderNumber, string? SignatoryName, string? SignatoryTitle, BrandImage? Logo, BrandImage? Signature)
{
    /// <summary>The brand before an admin has saved one.</summary>
    public static Brand Default { get; } = new("LearnHub", null, null, null, null, null);
}

/// <summary>The text an admin types for the brand; checked by <see cref="BrandRules.Problems"/> before anything is stored.</summary>
public sealed record BrandDetails(string? OrganisationName, string? ProviderNumber, string? SignatoryName, string? SignatoryTitle);

/// <summary>
/// What the organisation's details and images must be. Images are recognised from their bytes (never the name or the
/// type the browser claims) and their pixel size is read from the header: only PNG and JPEG, because every mail
/// client and the PDF writer render those two, and within sizes that keep a certificate and an email small.
/// </summary>
public static class BrandRules
{
    /// <summary>The largest image accepted: a logo or signature needs far less, and each email carries the logo.</summary>
    public const int MaxImageBytes = 512 * 1024;

    /// <summary>The longest side accepted, in pixels (a decompression bomb is refused before any decoder sees it).</summary>
    public const int MaxSide = 4000;

    /// <summary>The shortest side accepted, in pixels: anything smaller prints as a smudge.</summary>
    public const int MinSide = 16;

    /// <summary>The longest organisation name, provider number or signatory field.</summary>
    public const int MaxTextLength = 120;

    /// <summary>Every problem with the details, keyed by field (organisationName, providerNumber, signatoryName, signatoryTitle).</summary>
    public static IReadOnlyDictionary<string, string> Problems(BrandDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var problems = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(details.OrganisationName))
        {
            problems["organisationName"] = "Enter the organisation's name.";
        }

        foreach (var (field, value) in new[] { ("organisationName", details.OrganisationName), ("providerNumber", details.ProviderNumber), ("signatoryName", details.SignatoryName), ("signatoryTitle", details.SignatoryTitle) })
        {
            if (value is not null && value.Trim().Length > MaxTextLength)
            {
                problems[field] = $"Keep it to {MaxTextLength} characters.";
            }
            else if (value is not null && value.Any(char.IsControl))
            {
                problems[field] = "Use one line of plain text.";
            }
        }

        return problems;
    }

    /// <summary>The image the bytes hold, or the reason they are refused.</summary>
    public static (BrandImage? Image, string? Problem) Inspect(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0)
        {
            return (null, "The file is empty.");
        }

        if (content.Length > MaxImageBytes)
        {
            return (null, $"The image is {content.Length / 1024:N0} KB; the limit is {MaxImageBytes / 1024} KB. Save it smaller.");
        }

        var type = FileSignatures.Sniff(content.AsSpan(0, Math.Min(content.Length, FileSignatures.HeaderLength)));
        var size = type == FileSignatures.Png ? PngSize(content) : type == FileSignatures.Jpeg ? JpegSize(content) : null;
        if (type != FileSignatures.Png && type != FileSignatures.Jpeg)
        {
            return (null, "Upload a PNG or JPEG image (recognised from the file's content, not its name).");
        }

        if (size is not { } s)
        {
            return (null, $"The file starts like a {type.Name} but its size cannot be read: it is damaged or not an image.");
        }

        if (s.Width < MinSide || s.Height < MinSide || s.Width > MaxSide || s.Height > MaxSide)
        {
            return (null, $"The image is {s.Width}×{s.Height} pixels; each side must be {MinSide} to {MaxSide}.");
        }

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        return (new BrandImage(content, type.ContentType, s.Width, s.Height, sha), null);
    }

    // PNG: the 8-byte signature, then the IHDR chunk (length, "IHDR", width and height as big-endian 32-bit numbers).
    private static (int Width, int Height)? PngSize(byte[] content)
    {
        if (content.Length < 24 || content[12] != 'I' || content[13] != 'H' || content[14] != 'D' || content[15] != 'R')
        {
            return null;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(20, 4));
        return width > int.MaxValue || height > int.MaxValue ? null : ((int)width, (int)height);
    }

    // JPEG: walk the markers after SOI until a start-of-frame (SOF0–SOF15 less DHT, JPG and DAC), which holds the size.
    private static (int Width, int Height)? JpegSize(byte[] content)
    {
        var at = 2;
        while (at + 9 < content.Length)
        {
            if (content[at] != 0xFF)
            {
                return null;
            }

            var marker = content[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(at + 2, 2));
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                var height = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(at + 5, 2));
                var width = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(at + 7, 2));
                return (width, height);
            }

            if (length < 2)
            {
                return null;
            }

            at += 2 + length;
        }

        return null;
    }
}
