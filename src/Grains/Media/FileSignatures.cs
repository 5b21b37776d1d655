using System.IO.Compression;

namespace LearnHub.Grains.Media;

/// <summary>A file type LearnHub accepts, as recognised from the file's content.</summary>
/// <param name="Name">What people read ("PDF document").</param>
/// <param name="ContentType">The media type it is served with.</param>
/// <param name="Extension">The extension given to the download name, whatever the uploaded name said.</param>
public sealed record FileType(string Name, string ContentType, string Extension);

/// <summary>
/// Recognises uploads by their first bytes (and, for Office files, by the parts inside the ZIP container), never by
/// the name or the Content-Type the browser sent: a program renamed report.pdf is still a program.
/// </summary>
public static class FileSignatures
{
    /// <summary>PDF.</summary>
    public static readonly FileType Pdf = new("PDF document", "application/pdf", ".pdf");

    /// <summary>Word.</summary>
    public static readonly FileType Docx = new("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");

    /// <summary>PowerPoint.</summary>
    public static readonly FileType Pptx = new("PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx");

    /// <summary>Excel.</summary>
    public static readonly FileType Xlsx = new("Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");

    /// <summary>PNG.</summary>
    public static readonly FileType Png = new("PNG image", "image/png", ".png");

    /// <summary>JPEG.</summary>
    public static readonly FileType Jpeg = new("JPEG image", "image/jpeg", ".jpg");

    /// <summary>GIF.</summary>
    public static readonly FileType Gif = new("GIF image", "image/gif", ".gif");

    /// <summary>WebP.</summary>
    public static readonly FileType WebP = new("WebP image", "image/webp", ".webp");

    /// <summary>MP4 video.</summary>
    public static readonly FileType Mp4 = new("MP4 video", "video/mp4", ".mp4");

    /// <summary>WebM video.</summary>
    public static readonly FileType WebM = new("WebM video", "video/webm", ".webm");

    /// <summary>
    /// A ZIP container: what Word, PowerPoint and Excel files are on the outside. Never stored as such; see
    /// <see cref="ResolveOffice"/>.
    /// </summary>
    public static readonly FileType ZipContainer = new("ZIP archive", "application/zip", ".zip");

    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int HeaderLength = 16;

    /// <summary>
    /// The type the leading bytes announce, or null. A ZIP container is only a candidate here: <see cref="ResolveOffice"/>
    /// decides which Office format (if any) the whole file is.
    /// </summary>
    public static FileType? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return Png;
        }

        if (head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }))
        {
            return Jpeg;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }

        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return Mp4;
        }

        if (head.StartsWith(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }))
        {
            return WebM;
        }

        return head.StartsWith("PK\u0003\u0004"u8) ? ZipContainer : null;
    }

    /// <summary>
    /// Which Office format a complete ZIP file is, from the parts it holds: [Content_Types].xml and the main part of a
    /// Word, PowerPoint or Excel package. Null for any other ZIP, or a file that is not a readable ZIP at all.
    /// </summary>
    public static FileType? ResolveOffice(Stream zip)
    {
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (!names.Contains("[Content_Types].xml"))
            {
                return null;
            }

            return names.Contains("word/document.xml") ? Docx
                : names.Contains("ppt/presentation.xml") ? Pptx
                : names.Contains("xl/workbook.xml") ? Xlsx
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The types a handout may be.</summary>
    public static IReadOnlySet<FileType> Handouts { get; } = new HashSet<FileType> { Pdf, Docx, Pptx, Xlsx, Png, Jpeg, Gif, WebP };

    /// <summary>The types a recording may be.</summary>
    public static IReadOnlySet<FileType> Recordings { get; } = new HashSet<FileType> { Mp4, WebM };
}
