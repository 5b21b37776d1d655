using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Hosting;

/// <summary>
/// Validates options at start through their own Problems() sentences, each naming the key and where to set it, so a
/// wrong setting stops the process with a message an operator can act on.
/// </summary>
public sealed class ProblemsValidator<TOptions>(Func<TOptions, IEnumerable<string>> problems) : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var found = problems(options).ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
