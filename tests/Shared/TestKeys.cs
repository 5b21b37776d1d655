namespace LearnHub.Testing;

/// <summary>
/// The LearnHub:DataProtection:Key that test processes and apps on PostgreSQL get unless a test names its own: Production
/// on PostgreSQL refuses to start without one, as it should. Nothing it protects outlives a test.
/// </summary>
public static class TestKeys
{
    /// <summary>32 random bytes in base64, drawn once for the test suite.</summary>
    public const string DataProtection = "K9r0cQm7i1hN3Xw0dJq5oPZ2Yb8uT6aLsE4vGfR1nCk=";

    /// <summary>Another one, for a party that must not hold the first.</summary>
    public const string Other = "pV3wQ8sZ1mK6yT0bN4hJ7cR2xL9dF5gA0eU3iO8rW1s=";
}
