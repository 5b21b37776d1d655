using System.Security.Cryptography;
using LearnHub.Grains.Media;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Media;

/// <summary>An upload written to a temporary file: its hash, size and recognised type. Disposing it deletes the file
/// unless it was committed.</summary>
public sealed class StagedFile : IDisposable
{
    internal StagedFile(string path, string sha256, long size, FileType? type)
    {
        Path = path;
        Sha256 = sha256;
        Size = size;
        Type = type;
    }

    /// <summary>Where the bytes are until committed.</summary>
    public string Path { get; }

    /// <summary>The SHA-256 of the content, lower-case hex: its name in storage.</summary>
    public string Sha256 { get; }

    /// <summary>Bytes written.</summary>
    public long Size { get; }

    /// <summary>The type the content is, or null when it is none LearnHub accepts.</summary>
    public FileType? Type { get; }

    internal bool Committed { get; set; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!Committed)
        {
            File.Delete(Path);
        }
    }
}

/// <summary>The limit was passed while the upload streamed in; nothing was kept.</summary>
public sealed class UploadTooLargeException(long maxBytes)
    : IOException($"The file is larger than the limit of {Describe(maxBytes)}.")
{
    /// <summary>The limit, in bytes.</summary>
    public long MaxBytes { get; } = maxBytes;

    /// <summary>"25 MB", "4 GB", "512 KB".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };
}

/// <summary>
/// Content-addressed file storage under the data directory: media/ab/abcdef… named by SHA-256. An upload streams into
/// media/incoming (same volume, so the final move is a rename), hashed and counted as it goes, and is never held
/// whole in memory; a failure or a passed limit deletes the temporary file, so an interrupted upload leaves nothing.
/// </summary>
public sealed class MediaFiles(IOptions<LearnHubOptions> options)
{
    private readonly string _root = System.IO.Path.Combine(options.Value.DataDirectoryFullPath, "media");

    /// <summary>Streams <paramref name="source"/> to a temporary file, refusing it once it passes <paramref name="maxBytes"/>.</summary>
    public async Task<StagedFile> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var incoming = System.IO.Path.Combine(_root, "incoming");
        Directory.CreateDirectory(incoming);
        var path = System.IO.Path.Combine(incoming, Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[FileSignatures.HeaderLength];
            var headLength = 0;
            long size = 0;
            var buffer = new byte[81920];
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new UploadTooLargeException(maxBytes);
                    }

                    if (headLength < head.Length)
                    {
                        var take = Math.Min(read, head.Length - headLength);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }

                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            var type = FileSignatures.Sniff(head.AsSpan(0, headLength));
            if (ReferenceEquals(type, FileSignatures.ZipContainer))
            {
                await using var zip = File.OpenRead(path);
                type = FileSignatures.ResolveOffice(zip);
            }

            return new StagedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size, type);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Moves a staged file to its content address (a file with the same content already there is kept).</summary>
    public void Commit(StagedFile staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var target = PathOf(staged.Sha256);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(staged.Path);
        }
        else
        {
            try
            {
                File.Move(staged.Path, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another node stored the same bytes a moment ago: theirs is ours.
                File.Delete(staged.Path);
            }
        }

        staged.Committed = true;
    }

    /// <summary>Opens stored content for reading, or null when it is missing.</summary>
    public FileStream? OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous) : null;
    }

    /// <summary>True when content with this address is stored.</summary>
    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>
    /// Stores text (an edited captions file) at its content address, written whole to a temporary file first; returns
    /// the address. Content already stored is left as it is.
    /// </summary>
    public async Task<string> StoreTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var source = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        using var staged = await StageAsync(source, long.MaxValue, cancellationToken);
        Commit(staged);
        return staged.Sha256;
    }

    /// <summary>
    /// Moves stored content aside (into incoming/, on the same volume, so it is a rename) and returns where it went,
    /// or null when it was not there. Removal happens in two steps so a transaction that fails can put it back.
    /// </summary>
    public string? Detach(string sha256)
    {
        var path = PathOf(sha256);
        var aside = System.IO.Path.Combine(_root, "incoming", "removed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(aside)!);
        try
        {
            File.Move(path, aside);
            return aside;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Puts detached content back at its address (its transaction did not commit).</summary>
    public void Reattach(string detachedPath, string sha256)
    {
        ArgumentNullException.ThrowIfNull(detachedPath);
        var path = PathOf(sha256);
        if (File.Exists(path))
        {
            File.Delete(detachedPath);
        }
        else
        {
            File.Move(detachedPath, path);
        }
    }

    /// <summary>Every stored content file and staged upload (what tests check "nothing stored" against).</summary>
    public IReadOnlyList<string> AllFiles() =>
        Directory.Exists(_root) ? Directory.GetFiles(_root, "*", SearchOption.AllDirectories) : [];

    private string PathOf(string sha256)
    {
        // The name comes from our own hash, but it is checked anyway: it is the one string that becomes a path.
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a SHA-256 content address.", nameof(sha256));
        }

        return System.IO.Path.Combine(_root, sha256[..2], sha256);
    }
}
