namespace LearnHub.Silo.Privacy;

/// <summary>What an erasure does with the person's certificates (both ways they lose the name and email).</summary>
public enum ErasedCertificatePolicy
{
    /// <summary>Revoked: the certificate's code no longer verifies.</summary>
    Revoke,

    /// <summary>Kept valid under the placeholder name, so CE-hour totals reported to an accrediting body still add up.</summary>
    Keep,
}

/// <summary>
/// How long each class of personal data is kept (LearnHub:Retention:*), in days, and what erasure does with
/// certificates. The defaults follow common human-services schedules: training records three years, evaluation
/// comments two, case-adjacent mentoring notes and the audit log seven, sent mail ninety days.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LearnHub:Retention";

    /// <summary>
    /// Days after a session ends that its registrations keep the registrants' names, emails, agencies, roles and
    /// accommodations (attendance figures stay, anonymized) and its imported participant reports are kept.
    /// LearnHub:Retention:RegistrationsAndAttendanceDays.
    /// </summary>
    public int RegistrationsAndAttendanceDays { get; set; } = 1095;

    /// <summary>Days after submission that an evaluation's free-text answers are kept (ratings stay). LearnHub:Retention:EvaluationFreeTextDays.</summary>
    public int EvaluationFreeTextDays { get; set; } = 730;

    /// <summary>Days after logging that a mentoring follow-up's notes and next steps are kept. LearnHub:Retention:MentoringNotesDays.</summary>
    public int MentoringNotesDays { get; set; } = 2555;

    /// <summary>Days that sent, failed or skipped mail is kept in the outbox (queued mail is never removed). LearnHub:Retention:OutboxDays.</summary>
    public int OutboxDays { get; set; } = 90;

    /// <summary>Days that an audit entry is kept. LearnHub:Retention:AuditLogDays.</summary>
    public int AuditLogDays { get; set; } = 2555;

    /// <summary>What erasing a person does with their certificates. LearnHub:Retention:ErasedCertificates.</summary>
    public ErasedCertificatePolicy ErasedCertificates { get; set; } = ErasedCertificatePolicy.Revoke;

    /// <summary>What is wrong with the settings, naming the keys.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (key, days) in Periods())
        {
            if (days < 1)
            {
                yield return $"LearnHub:Retention:{key} ({days}) must be a number of days of at least 1. Set it in appsettings.json or as LearnHub__Retention__{key}.";
            }
        }
    }

    /// <summary>Each period's key and its days.</summary>
    public IEnumerable<(string Key, int Days)> Periods() =>
    [
        (nameof(RegistrationsAndAttendanceDays), RegistrationsAndAttendanceDays),
        (nameof(EvaluationFreeTextDays), EvaluationFreeTextDays),
        (nameof(MentoringNotesDays), MentoringNotesDays),
        (nameof(OutboxDays), OutboxDays),
        (nameof(AuditLogDays), AuditLogDays),
    ];
}
