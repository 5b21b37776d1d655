using System.Security.Cryptography;
using System.Text;

namespace LearnHub.Grains.Certificates;

/// <summary>What a typed verification code came to.</summary>
public enum CodeReading
{
    /// <summary>Well formed and its check character agrees: worth looking up.</summary>
    WellFormed,

    /// <summary>Not a code LearnHub could have issued: wrong length, a foreign character, or a failed check (a typo).</summary>
    Malformed,
}

/// <summary>
/// A certificate's verification code: 23 random Crockford base-32 characters (115 bits from the operating system's
/// CSPRNG) and one check character, shown as six groups of four (<c>XXXX-XXXX-XXXX-XXXX-XXXX-XXXX</c>). Crockford's
/// alphabet has no I, L, O or U, so a code read aloud or copied from paper is not misread; on entry case, spaces and
/// hyphens are ignored and I/L read as 1, O as 0.
/// </summary>
/// <remarks>
/// The check character makes the weighted sum of all 24 symbols zero in GF(32), with the weight of position i being
/// α^i for a generator α of the field's multiplicative group. Because the 24 weights are distinct and non-zero and the
/// field has no zero divisors, changing one character changes the sum by w·(a−b) ≠ 0, and swapping two different
/// characters (adjacent or not) changes it by (wᵢ−wⱼ)·(a−b) ≠ 0: every single typo and every transposition is caught,
/// so a mistyped code is reported as malformed instead of "no such certificate".
/// </remarks>
public static class CertificateCode
{
    /// <summary>Crockford's base-32 alphabet.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Random characters in a code.</summary>
    public const int DataLength = 23;

    /// <summary>Characters in a code, the check character included (hyphens excluded).</summary>
    public const int Length = DataLength + 1;

    /// <summary>Random bits in a code.</summary>
    public const int EntropyBits = DataLength * 5;

    // x^5 + x^2 + 1 is primitive over GF(2), so α = x (2) generates all 31 non-zero elements.
    private const int Polynomial = 0b100101;

    private static readonly int[] Weights = BuildWeights();

    /// <summary>A new code from the CSPRNG, in its canonical grouped form.</summary>
    public static string New()
    {
        Span<byte> random = stackalloc byte[DataLength];
        RandomNumberGenerator.Fill(random);
        Span<int> values = stackalloc int[DataLength];
        for (var i = 0; i < DataLength; i++)
        {
            // 256 is a multiple of 32, so keeping the low five bits of a uniform byte is uniform.
            values[i] = random[i] & 31;
        }

        return FromValues(values);
    }

    /// <summary>The code whose random part is <paramref name="values"/> (each 0–31), with its check character.</summary>
    public static string FromValues(ReadOnlySpan<int> values)
    {
        if (values.Length != DataLength)
        {
            throw new ArgumentException($"A code has {DataLength} random characters, not {values.Length}.", nameof(values));
        }

        var sum = 0;
        var chars = new char[Length];
        for (var i = 0; i < DataLength; i++)
        {
            if (values[i] is < 0 or > 31)
            {
                throw new ArgumentOutOfRangeException(nameof(values), values[i], "Each value is a base-32 digit (0–31).");
            }

            chars[i] = Alphabet[values[i]];
            sum ^= Multiply(Weights[i], values[i]);
        }

        // Solve sum ⊕ w·c = 0 for the check value c.
        chars[DataLength] = Alphabet[Multiply(Inverse(Weights[DataLength]), sum)];
        return Group(chars);
    }

    /// <summary>Reads a typed code: its canonical form when well formed, or <see cref="CodeReading.Malformed"/>.</summary>
    public static (CodeReading Reading, string? Canonical) Read(string? typed)
    {
        if (typed is null || typed.Length > 80)
        {
            return (CodeReading.Malformed, null);
        }

        var chars = new List<char>(Length);
        foreach (var raw in typed)
        {
            if (raw is '-' or ' ' or '\t')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (Alphabet.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return (CodeReading.Malformed, null);
            }

            chars.Add(c);
        }

        if (chars.Count != Length)
        {
            return (CodeReading.Malformed, null);
        }

        var sum = 0;
        for (var i = 0; i < Length; i++)
        {
            sum ^= Multiply(Weights[i], Alphabet.IndexOf(chars[i], StringComparison.Ordinal));
        }

        return sum == 0 ? (CodeReading.WellFormed, Group(chars.ToArray())) : (CodeReading.Malformed, null);
    }

    private static string Group(char[] chars)
    {
        var grouped = new StringBuilder(Length + Length / 4);
        for (var i = 0; i < chars.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                grouped.Append('-');
            }

            grouped.Append(chars[i]);
        }

        return grouped.ToString();
    }

    private static int[] BuildWeights()
    {
        var weights = new int[Length];
        var w = 1;
        for (var i = 0; i < Length; i++)
        {
            weights[i] = w;
            w = Multiply(w, 2);
        }

        return weights;
    }

    // Carry-less multiplication reduced by the field polynomial.
    private static int Multiply(int a, int b)
    {
        var product = 0;
        while (b != 0)
        {
            if ((b & 1) != 0)
            {
                product ^= a;
            }

            b >>= 1;
            a <<= 1;
            if ((a & 0b100000) != 0)
            {
                a ^= Polynomial;
            }
        }

        return product;
    }

    // In a field of 32 elements a^31 = 1, so a^30 is a's inverse.
    private static int Inverse(int a)
    {
        var result = 1;
        for (var i = 0; i < 30; i++)
        {
            result = Multiply(result, a);
        }

        return result;
    }
}
