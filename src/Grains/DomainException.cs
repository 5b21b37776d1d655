namespace LearnHub.Grains;

/// <summary>A broken invariant: a transition asked of state that cannot make it.</summary>
public sealed class DomainException(string message) : InvalidOperationException(message)
{
    /// <summary>Builds the message that names the state an object was in and the transition it was asked for.</summary>
    public static DomainException InvalidTransition(string what, object from, string asked) =>
        new($"{what} is {from}; it cannot be asked to {asked}.");
}
