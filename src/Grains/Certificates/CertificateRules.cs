namespace LearnHub.Grains.Certificates;

/// <summary>The two things a certificate can be for.</summary>
public enum CertificateKind
{
    /// <summary>One session attended.</summary>
    Session,

    /// <summary>Every required session of a cohort course attended.</summary>
    Course,
}

/// <summary>What LearnHub knows of one person's completion of one session.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Attended">Their attendance row says attended.</param>
/// <param name="EvaluationRequired">The session's series asks for the evaluation before a certificate.</param>
/// <param name="EvaluationCompleted">Their evaluation invitation is completed.</param>
public sealed record SessionCompletion(Guid SessionId, bool Attended, bool EvaluationRequired, bool EvaluationCompleted)
{
    /// <summary>Nothing is known: not attended.</summary>
    public static SessionCompletion Unknown(Guid sessionId) => new(sessionId, false, false, false);

    /// <summary>The session counts towards a certificate.</summary>
    public bool Completed => Attended && (!EvaluationRequired || EvaluationCompleted);
}

/// <summary>What to do with a person's certificate for one training.</summary>
public enum CertificateAction
{
    /// <summary>No certificate, and none is due.</summary>
    None,

    /// <summary>The rules hold and there is no live certificate: issue one (with a new code).</summary>
    Issue,

    /// <summary>The rules hold and the live certificate stands.</summary>
    Keep,

    /// <summary>The live certificate is no longer justified: revoke it, with the reason.</summary>
    Revoke,
}

/// <summary>A decision with the reason a revocation records.</summary>
public sealed record CertificateDecision(CertificateAction Action, string? Reason = null);

/// <summary>How far a person is through a course's required sessions.</summary>
public sealed record CourseProgress(int Required, int Completed)
{
    /// <summary>Every required session completed (a course without sessions is never complete).</summary>
    public bool IsComplete => Required > 0 && Completed == Required;
}

/// <summary>
/// When a certificate is due, and when one already issued must be revoked. Plain rules over facts the caller loaded:
/// no I/O, no clock.
/// </summary>
/// <remarks>
/// Only attendance taken back revokes. A missing evaluation holds a certificate back but never takes one away, because
/// the only way it can be missing after issue is an organizer switching the series' requirement on later, and
/// certificates already printed under the old rule stay true. For the same reason the caller judges a live course
/// certificate only against the sessions that were required when it was issued, not ones an organizer added later.
/// </remarks>
public static class CertificateRules
{
    /// <summary>The decision for a session certificate.</summary>
    public static CertificateDecision ForSession(SessionCompletion completion, bool holdsLiveCertificate)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (holdsLiveCertificate)
        {
            return completion.Attended
                ? new CertificateDecision(CertificateAction.Keep)
                : new CertificateDecision(CertificateAction.Revoke, "Attendance was corrected: no longer recorded as attended.");
        }

        return completion.Completed ? new CertificateDecision(CertificateAction.Issue) : new CertificateDecision(CertificateAction.None);
    }

    /// <summary>How many of a course's required sessions the person completed.</summary>
    public static CourseProgress Progress(IReadOnlyCollection<Guid> requiredSessions, IReadOnlyDictionary<Guid, SessionCompletion> completions)
    {
        ArgumentNullException.ThrowIfNull(requiredSessions);
        ArgumentNullException.ThrowIfNull(completions);
        var done = requiredSessions.Count(id => completions.TryGetValue(id, out var c) && c.Completed);
        return new CourseProgress(requiredSessions.Count, done);
    }

    /// <summary>The decision for a course certificate: every required session completed.</summary>
    public static CertificateDecision ForCourse(IReadOnlyCollection<Guid> requiredSessions, IReadOnlyDictionary<Guid, SessionCompletion> completions, bool holdsLiveCertificate)
    {
        ArgumentNullException.ThrowIfNull(requiredSessions);
        ArgumentNullException.ThrowIfNull(completions);
        if (holdsLiveCertificate)
        {
            var lost = requiredSessions.Count(id => !(completions.TryGetValue(id, out var c) && c.Attended));
            return lost == 0
                ? new CertificateDecision(CertificateAction.Keep)
                : new CertificateDecision(CertificateAction.Revoke,
                    $"Attendance was corrected: {lost} required session{(lost == 1 ? " is" : "s are")} no longer recorded as attended.");
        }

        return Progress(requiredSessions, completions).IsComplete
            ? new CertificateDecision(CertificateAction.Issue)
            : new CertificateDecision(CertificateAction.None);
    }
}
