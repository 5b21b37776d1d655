using PdfSharp.Fonts;

namespace LearnHub.Web.Certificates;

/// <summary>
/// The fonts the PDF writer draws with: DejaVu Serif, shipped inside this assembly (LICENSE.txt beside the files), so a
/// certificate renders the same on a server without any font installed and nothing is fetched at run time. Every
/// family name resolves to it.
/// </summary>
public sealed class CertificateFonts : IFontResolver
{
    /// <summary>The family name certificates use.</summary>
    public const string Family = "DejaVu Serif";

    private static readonly Lazy<CertificateFonts> Instance = new(() =>
    {
        var fonts = new CertificateFonts();
        // PDFsharp takes one resolver for the whole process, before its first font; every caller goes through here.
        GlobalFontSettings.FontResolver = fonts;
        return fonts;
    });

    /// <summary>Installs the resolver (once per process) before the first PDF is drawn.</summary>
    public static void EnsureInstalled() => _ = Instance.Value;

    /// <inheritdoc />
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSerif-Bold" : italic ? "DejaVuSerif-Italic" : "DejaVuSerif");

    /// <inheritdoc />
    public byte[] GetFont(string faceName)
    {
        using var stream = typeof(CertificateFonts).Assembly.GetManifestResourceStream($"certificate-fonts/{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName}.ttf is not embedded in {typeof(CertificateFonts).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
