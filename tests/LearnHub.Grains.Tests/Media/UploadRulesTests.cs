using System.IO.Compression;
using System.Text;
using LearnHub.Grains.Media;

namespace LearnHub.Grains.Tests.Media;

public sealed class FileSignaturesTests
{
    [Theory]
    [InlineData("%PDF-1.7\n", "application/pdf")]
    [InlineData("\u0089PNG\r\n\u001a\n....", "image/png")]
    [InlineData("GIF89a....", "image/gif")]
    [InlineData("RIFF....WEBPVP8 ", "image/webp")]
    [InlineData("\0\0\0\u0018ftypmp42", "video/mp4")]
    public void Sniff_RecognisesAcceptedTypes_FromTheirFirstBytes(string head, string contentType) =>
        Assert.Equal(contentType, FileSignatures.Sniff(Encoding.Latin1.GetBytes(head))?.ContentType);

    [Theory]
    [InlineData("MZ\u0090\0\u0003\0\0\0")] // a Windows executable
    [InlineData("\u007fELF\u0002\u0001\u0001")] // a Linux one
    [InlineData("#!/bin/sh\nrm -rf /")]
    [InlineData("<html><script>")]
    [InlineData("")]
    public void Sniff_ReturnsNothing_ForContentThatIsNoAcceptedType(string head) =>
        Assert.Null(FileSignatures.Sniff(Encoding.Latin1.GetBytes(head)));

    [Theory]
    [InlineData("word/document.xml", ".docx")]
    [InlineData("ppt/presentation.xml", ".pptx")]
    [InlineData("xl/workbook.xml", ".xlsx")]
    public void ResolveOffice_TellsWordPowerPointAndExcelApart_ByTheirMainPart(string part, string extension)
    {
        using var zip = Zip("[Content_Types].xml", part);
        Assert.Equal(extension, FileSignatures.ResolveOffice(zip)?.Extension);
    }

    [Fact]
    public void ResolveOffice_RefusesAnOrdinaryZip_AndATruncatedOne()
    {
        using var plain = Zip("readme.txt", "setup.exe");
        Assert.Null(FileSignatures.ResolveOffice(plain));
        using var truncated = new MemoryStream(Zip("[Content_Types].xml", "word/document.xml").ToArray()[..30]);
        Assert.Null(FileSignatures.ResolveOffice(truncated));
    }

    internal static MemoryStream Zip(params string[] entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(entry).Open());
                writer.Write("<x/>");
            }
        }

        stream.Position = 0;
        return stream;
    }
}

public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..\\..\\windows\\win.ini")]
    [InlineData("/etc/passwd")]
    [InlineData("C:evil.pdf")]
    [InlineData(".htaccess")]
    [InlineData("slides\u0000.pdf")]
    [InlineData("a\r\nContent-Type: text/html.pdf")]
    public void Problem_RefusesNamesThatLeaveTheirFolderOrHideCharacters(string name) =>
        Assert.NotNull(SafeFileName.Problem(name));

    [Theory]
    [InlineData("Safety planning – slides (v2).pdf")]
    [InlineData("Résumé tips.docx")]
    public void Problem_AcceptsOrdinaryNames(string name) => Assert.Null(SafeFileName.Problem(name));

    [Fact]
    public void WithExtension_UsesTheExtensionOfTheContent_NotOfTheName() =>
        Assert.Equal("report.docx", SafeFileName.WithExtension("report.pdf", FileSignatures.Docx));
}

public sealed class WebVttTests
{
    [Fact]
    public void Parse_ReadsCuesWithIdentifiersNotesAndVoices()
    {
        var document = WebVtt.Parse(
            "WEBVTT - Session 4\n\nNOTE produced by the captioner\n\n1\n00:00:01.000 --> 00:00:04.500 align:start\n<v Dana Ruiz>Welcome, everyone.\n\n00:04.500 --> 00:07.000\nToday: <i>simulation labs</i> &amp; practice.\n");

        Assert.True(document.IsValid, string.Join(" ", document.Errors));
        Assert.Equal(
            [new Cue(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4.5), "Dana Ruiz: Welcome, everyone."),
             new Cue(TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(7), "Today: simulation labs & practice.")],
            document.Cues);
    }

    [Fact]
    public void Parse_ReportsEveryMalformedCue_WithItsLineNumber()
    {
        var document = WebVtt.Parse("WEBVTT\n\n00:01.000 --> 00:02.000\nfine\n\n00:03.000 -> 00:04.000\narrow too short\n\n00:05.000 --> 00:04.000\nends before it starts\n\n00:06.00 --> 00:07.000\nbad millis\n");

        Assert.False(document.IsValid);
        Assert.Equal(3, document.Errors.Count);
        Assert.StartsWith("Line 6:", document.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Line 9: the cue ends", document.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("Line 12: the start time “00:06.00”", document.Errors[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1\n00:00:01.000 --> 00:00:02.000\nno signature", "Line 1:")]
    [InlineData("WEBVTT\n\n00:01.000 --> 00:02.000\n", "Line 3: the cue has no text")]
    [InlineData("WEBVTT\n", "the file has no cues")]
    public void Parse_RefusesFilesThatCannotPlay(string text, string expected) =>
        Assert.Contains(WebVtt.Parse(text).Errors, e => e.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void Parse_RefusesBytesThatAreNotUtf8() =>
        Assert.Contains("not UTF-8", WebVtt.Parse(new byte[] { 0x57, 0x45, 0xFF, 0xFE, 0x00 }).Errors.Single(), StringComparison.Ordinal);
}
