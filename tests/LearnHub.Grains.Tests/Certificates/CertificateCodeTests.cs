using LearnHub.Grains.Certificates;

namespace LearnHub.Grains.Tests.Certificates;

/// <summary>Verification codes: random, unambiguous, forgiving of case and hyphens, and strict about typos.</summary>
public sealed class CertificateCodeTests
{
    private static readonly System.Text.RegularExpressions.Regex Shape = new("^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$");

    [Fact]
    public void NewCodes_AreUnique_GroupedInFours_AndUseOnlyCrockfordsAlphabet()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => CertificateCode.New()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches(Shape, c));
        Assert.DoesNotContain(codes, c => c.IndexOfAny(['I', 'L', 'O', 'U']) >= 0);
        Assert.All(codes, c => Assert.Equal((CodeReading.WellFormed, c), CertificateCode.Read(c)));
    }

    [Fact]
    public void NewCodes_UseEveryCharacterOfTheAlphabet_InEveryPosition_SoTheyCarryAtLeast100RandomBits()
    {
        // A generator that left some symbol out (a biased mapping of random bytes) would show here.
        var codes = Enumerable.Range(0, 4_000).Select(_ => CertificateCode.New().Replace("-", "", StringComparison.Ordinal)).ToList();

        var bits = 0.0;
        for (var position = 0; position < CertificateCode.DataLength; position++)
        {
            var symbols = codes.Select(c => c[position]).Distinct().Count();
            Assert.Equal(32, symbols);
            bits += Math.Log2(symbols);
        }

        // The random part as the generator actually fills it (the last character is the check, not randomness).
        Assert.True(bits >= 100, $"{bits} bits");
    }

    [Fact]
    public void Reading_IgnoresCaseSpacesAndHyphens_AndReadsLettersMistakenForDigits()
    {
        var code = CertificateCode.FromValues(Enumerable.Range(0, CertificateCode.DataLength).Select(i => (i * 7 + 1) % 32).ToArray());
        var typed = code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal).Replace('1', 'l').Replace('0', 'o');

        Assert.Equal((CodeReading.WellFormed, code), CertificateCode.Read($"  {typed} "));
        Assert.Equal((CodeReading.WellFormed, code), CertificateCode.Read(code.Replace("-", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void EverySingleCharacterTypo_IsMalformed()
    {
        for (var sample = 0; sample < 50; sample++)
        {
            var code = CertificateCode.New().Replace("-", "", StringComparison.Ordinal);
            for (var position = 0; position < code.Length; position++)
            {
                foreach (var other in CertificateCode.Alphabet.Where(c => c != code[position]))
                {
                    var typo = code[..position] + other + code[(position + 1)..];
                    Assert.Equal(CodeReading.Malformed, CertificateCode.Read(typo).Reading);
                }
            }
        }
    }

    [Fact]
    public void EveryTranspositionOfTwoDifferentCharacters_IsMalformed()
    {
        for (var sample = 0; sample < 50; sample++)
        {
            var code = CertificateCode.New().Replace("-", "", StringComparison.Ordinal).ToCharArray();
            for (var i = 0; i < code.Length; i++)
            {
                for (var j = i + 1; j < code.Length; j++)
                {
                    if (code[i] == code[j])
                    {
                        continue;
                    }

                    var swapped = (char[])code.Clone();
                    (swapped[i], swapped[j]) = (swapped[j], swapped[i]);
                    Assert.Equal(CodeReading.Malformed, CertificateCode.Read(new string(swapped)).Reading);
                }
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABCD-EFGH")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-TVWX-YZU1")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-TVWX-YZ*1")]
    [InlineData(null)]
    public void TheWrongLengthOrAForeignCharacter_IsMalformed(string? typed)
    {
        Assert.Equal((CodeReading.Malformed, null), CertificateCode.Read(typed));
    }
}
