using PdfSharp.Fonts;

namespace LearnHub.Web.Certificates;

/// <summary>
/// The fonts the PDF writer draws with, shipped inside this assembly (their licences beside the files), so a certificate
/// renders the same on a server without any font installed and nothing is fetched at run time: DejaVu Serif for Latin
/// text, and Noto Serif SC (one weight; PDFsharp simulates bold and italic) for text with Chinese characters, which
/// DejaVu cannot draw. PDFsharp embeds only the glyphs a certificate uses.
/// </summary>
public sealed class CertificateFonts : IFontResolver
{
    /// <summary>The family name certificates use.</summary>
    public const string Family = "DejaVu Serif";

    /// <summary>The family of text with CJK characters.</summary>
    public const string Cjk = "Noto Serif SC";

    /// <summary>The family that can draw <paramref name="text"/>: <see cref="Cjk"/> when it holds a CJK character.</summary>
    public static string For(string? text) => (text ?? "").Any(c => c is >= '\u2E80' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFFEF') ? Cjk : Family;

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
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => familyName == Cjk
        ? new("NotoSerifSC-Regular", bold, italic)
        : new(bold ? "DejaVuSerif-Bold" : italic ? "DejaVuSerif-Italic" : "DejaVuSerif");

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
