namespace LearnHub.Grains.Certificates;

/// <summary>The two things a certificate can be for.</summary>
public enum CertificateKind
{
    /// <summary>One session attended.</summary>
    Session,

    /// <summary>Every required session of a cohort course attended.</summary>
    Course,
}

/// <summary>How a session certificate's credit was earned: printed on it, and shown by /verify and the transcript.</summary>
public enum CreditType
{
    /// <summary>Attended the live session.</summary>
    Live,

    /// <summary>Self-study of the recording: played enough of it and passed the knowledge check when there is one.</summary>
    SelfStudy,
}

/// <summary>What LearnHub knows of one person's completion of one session.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Attended">Their attendance row says attended.</param>
/// <param name="EvaluationRequired">The session's series asks for the evaluation before a certificate.</param>
/// <param name="EvaluationCompleted">Their evaluation invitation is completed.</param>
/// <param name="SelfStudyEarned">
/// The series grants self-study credit and they met its rule: played enough of the recording in time, and passed the
/// knowledge check when the session has one.
/// </param>
public sealed record SessionCompletion(Guid SessionId, bool Attended, bool EvaluationRequired, bool EvaluationCompleted, bool SelfStudyEarned = false)
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

    /// <summary>Self-study credit is earned and there is no live certificate: issue a self-study certificate.</summary>
    IssueSelfStudy,

    /// <summary>Live attendance now completes a session whose self-study certificate stands: revoke that one and issue live credit.</summary>
    Replace,
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
    /// <summary>The decision for a session certificate, for someone holding a live-credit certificate or none.</summary>
    public static CertificateDecision ForSession(SessionCompletion completion, bool holdsLiveCertificate) =>
        ForSession(completion, holdsLiveCertificate ? CreditType.Live : null);

    /// <summary>
    /// The decision for a session certificate, given the credit of the certificate the person holds in force (null for
    /// none). One person never holds live and self-study credit for one session: self-study is for people who did not
    /// attend, and live attendance that completes the session later replaces it. Self-study credit, once issued, is
    /// never taken back by anything but that replacement: what was played stays played and a passed check stays passed.
    /// </summary>
    public static CertificateDecision ForSession(SessionCompletion completion, CreditType? held)
    {
        ArgumentNullException.ThrowIfNull(completion);
        switch (held)
        {
            case CreditType.Live:
                return completion.Attended
                    ? new CertificateDecision(CertificateAction.Keep)
                    : new CertificateDecision(CertificateAction.Revoke, "Attendance was corrected: no longer recorded as attended.");
            case CreditType.SelfStudy:
                return completion.Completed
                    ? new CertificateDecision(CertificateAction.Replace, "Replaced by live credit: the live session was attended.")
                    : new CertificateDecision(CertificateAction.Keep);
        }

        if (completion.Completed)
        {
            return new CertificateDecision(CertificateAction.Issue);
        }

        return completion.SelfStudyEarned && !completion.Attended
            ? new CertificateDecision(CertificateAction.IssueSelfStudy)
            : new CertificateDecision(CertificateAction.None);
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

/// <summary>How a credit type is stored (<c>certificates.credit</c>).</summary>
public static class CertificateCredit
{
    /// <summary>"live" or "self_study".</summary>
    public static string ToWire(CreditType credit) => credit == CreditType.SelfStudy ? "self_study" : "live";

    /// <summary>Reads a stored credit type; anything but "self_study" is live (every certificate before self-study existed).</summary>
    public static CreditType FromWire(string? wire) => wire == "self_study" ? CreditType.SelfStudy : CreditType.Live;
}
