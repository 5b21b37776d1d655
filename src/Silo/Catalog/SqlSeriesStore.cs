using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Auditing;
using LearnHub.Grains.Time;
using LearnHub.Silo.Scheduling;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;

namespace LearnHub.Silo.Catalog;

/// <summary>
/// The series grain's store, and the only code that writes the series rows. Every write raises the row's version, by
/// which the catalog grain orders the reports it gets.
/// </summary>
public sealed class SqlSeriesStore(LearnHubDatabase database, LearnHubClock clock, IEnumerable<ITrainingRecordObserver> observers) : ISeriesStore
{
    /// <inheritdoc />
    public async Task<bool> CreateAsync(Guid id, SeriesDraft draft, string descriptionHtml, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var training = draft.Training ?? new SeriesTraining();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var taken = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM series WHERE slug = @slug OR id = @id", new { slug = draft.Slug, id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            return false;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO series (id, slug, title, description, description_html, tracks, attendance_threshold_percent, evaluation_required, certificate_statement,
                                self_study_enabled, self_study_percent, self_study_days, self_study_ce_hours_centi, created_utc_ms, version)
            VALUES (@id, @slug, @title, @description, @html, @tracks, @threshold, @evaluation, @statement, @selfStudy, @selfStudyPercent, @selfStudyDays, @selfStudyHours, @at, 1)
            """,
            new
            {
                id = id.ToString(), slug = draft.Slug, title = draft.Title, description = draft.Description, html = descriptionHtml,
                tracks = Tracks.Format(draft.Tracks ?? []), threshold = training.AttendanceThresholdPercent, evaluation = training.EvaluationRequired ? 1 : 0,
                statement = training.CertificateStatement.Trim(), selfStudy = training.SelfStudyOrDefault.Enabled ? 1 : 0,
                selfStudyPercent = training.SelfStudyOrDefault.Percent, selfStudyDays = training.SelfStudyOrDefault.WithinDays,
                selfStudyHours = training.SelfStudyOrDefault.CeHoursCenti, at = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(Guid id, SeriesDraft draft, string descriptionHtml, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // The settings change in the same statement as the rest of the form, so a crash cannot keep half an edit.
        var training = draft.Training;
        var before = await scope.Connection.QuerySingleOrDefaultAsync<(long evaluation_required, long self_study_enabled, long self_study_percent, long? self_study_days)>(
            new CommandDefinition("SELECT evaluation_required, self_study_enabled, self_study_percent, self_study_days FROM series WHERE id = @id" + database.LockRowSuffix,
                new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        var evaluationWasRequired = before.evaluation_required == 1;
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            training is null
                ? "UPDATE series SET title = @title, description = @description, description_html = @html, tracks = @tracks, version = version + 1 WHERE id = @id"
                : """
                  UPDATE series SET title = @title, description = @description, description_html = @html, tracks = @tracks,
                      attendance_threshold_percent = @threshold, evaluation_required = @evaluation, certificate_statement = @statement,
                      self_study_enabled = @selfStudy, self_study_percent = @selfStudyPercent, self_study_days = @selfStudyDays,
                      self_study_ce_hours_centi = @selfStudyHours, version = version + 1
                  WHERE id = @id
                  """,
            new
            {
                id = id.ToString(), title = draft.Title, description = draft.Description, html = descriptionHtml, tracks = Tracks.Format(draft.Tracks ?? []),
                threshold = training?.AttendanceThresholdPercent ?? 0, evaluation = training?.EvaluationRequired == true ? 1 : 0,
                statement = training?.CertificateStatement.Trim() ?? "", selfStudy = training?.SelfStudyOrDefault.Enabled == true ? 1 : 0,
                selfStudyPercent = training?.SelfStudyOrDefault.Percent ?? SelfStudyRule.DefaultPercent, selfStudyDays = training?.SelfStudyOrDefault.WithinDays,
                selfStudyHours = training?.SelfStudyOrDefault.CeHoursCenti,
            },
            scope.Transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return false;
        }

        if (evaluationWasRequired && training is { EvaluationRequired: false })
        {
            await ReleaseWaitingCertificatesAsync(scope, id, AttendeesSql, "The series no longer requires the evaluation.", cancellationToken);
        }

        // Self-study switched on, or made easier to earn: registrants who already played the recording (and passed its
        // check) get their credit now, in this transaction, as if they had just finished. Self-study credit is never
        // taken back by a later setting, as certificates never are by a stricter rule.
        if (training?.SelfStudyOrDefault is { Enabled: true } rule
            && (before.self_study_enabled == 0 || rule.Percent < before.self_study_percent || Wider(rule.WithinDays, before.self_study_days)))
        {
            await ReleaseWaitingCertificatesAsync(scope, id, ViewersSql, "The series now grants self-study credit.", cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> SetReminderLeadsAsync(Guid id, IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leads);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE series SET reminder_offsets_minutes = @offsets, version = version + 1 WHERE id = @id",
            new { id = id.ToString(), offsets = ReminderOffsets.Format(leads) }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <inheritdoc />
    public async Task<bool> SetTranslationsAsync(Guid id, IReadOnlyList<ContentTranslation> translations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(translations);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE series SET translations = @translations, version = version + 1 WHERE id = @id",
            new { id = id.ToString(), translations = ContentTranslations.ToColumn(translations) }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(Guid Id, SessionKind Kind)>> SessionsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string id, string kind)>(new CommandDefinition(
                "SELECT id, kind FROM sessions WHERE series_id = @id ORDER BY id", new { id = id.ToString() }, cancellationToken: cancellationToken)))
            .Select(s => (Guid.Parse(s.id), SessionKinds.FromWire(s.kind))).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegistrationQuestion>?> QuestionsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT registration_questions FROM series WHERE id = @id", new { id = id.ToString() }, cancellationToken: cancellationToken));
        return json is null ? null : QuestionsJson.Parse(json);
    }

    /// <inheritdoc />
    public async Task<bool> SaveQuestionsAsync(Guid id, IReadOnlyList<RegistrationQuestion> questions, QuestionEdit edit, QuestionEditor editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(editor);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var title = await scope.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT title FROM series WHERE id = @id" + database.LockRowSuffix, new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (title is null)
        {
            return false;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE series SET registration_questions = @questions, version = version + 1 WHERE id = @id",
            new { id = id.ToString(), questions = QuestionsJson.Format(questions) }, scope.Transaction, cancellationToken: cancellationToken));
        // The grain passes the question the edit was about (for a removal or move, as it stood), so the entry names it.
        var question = edit.Question ?? throw new ArgumentException("The edit names its question.", nameof(edit));
        var (label, kind) = (question.Label, $"{question.Kind.DisplayName()}{(question.Required ? ", required" : "")}");
        var (action, detail) = edit.Action switch
        {
            QuestionEditAction.Add => ("series.question.added", $"Added the registration question “{label}” ({kind})."),
            QuestionEditAction.Change => ("series.question.changed", $"Changed the registration question “{label}” ({kind})."),
            QuestionEditAction.Remove => ("series.question.removed", $"Removed the registration question “{label}”; answers already given keep it."),
            QuestionEditAction.MoveUp => ("series.question.moved", $"Moved the registration question “{label}” up."),
            QuestionEditAction.MoveDown => ("series.question.moved", $"Moved the registration question “{label}” down."),
            _ => throw new ArgumentOutOfRangeException(nameof(edit), edit.Action, "Unknown question edit."),
        };
        await AuditLog.AppendAsync(scope, new AuditEntry(clock.GetUtcNow(), editor.AccountId, editor.Email, action, "series", id.ToString(), editor.FromAddress, detail)
        {
            ObjectTitle = title,
        }, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return true;
    }

    // The people a settings change may release certificates for: attendees, and registrants who watched a recording.
    private const string AttendeesSql =
        """
        SELECT a.session_id, a.registration_id FROM attendance a JOIN sessions s ON s.id = a.session_id
        WHERE s.series_id = @series AND a.attended = 1 ORDER BY a.session_id, a.registration_id
        """;

    private const string ViewersSql =
        """
        SELECT DISTINCT m.session_id, v.registration_id FROM recording_views v JOIN session_media m ON m.id = v.media_id JOIN sessions s ON s.id = m.session_id
        WHERE s.series_id = @series AND v.registration_id IS NOT NULL ORDER BY m.session_id, v.registration_id
        """;

    private static bool Wider(int? days, long? before) => before is { } was && (days is null || days > was);

    // Certificates that waited only for a setting are due the moment it changes (the series stops requiring the
    // evaluation, or starts granting self-study credit): the certificate rules run again, in this transaction, for the
    // candidates of the series' sessions.
    private async Task ReleaseWaitingCertificatesAsync(WriteScope scope, Guid seriesId, string candidatesSql, string reason, CancellationToken cancellationToken)
    {
        var series = new { series = seriesId.ToString() };
        if (database.LockRowSuffix.Length > 0)
        {
            // Every session row of the series first, then every course row of those sessions, each in id order, before
            // any observer runs. The observers lock a session and then its courses; run one session after another, this
            // writer would hold the first session's course while waiting for the next session, which an attendance or
            // evaluation writer may hold while it waits for that same course: a deadlock on PostgreSQL. Holding the
            // sessions before reading attendance also means a writer that recorded attendance under the old setting has
            // committed by then, so its attendee is seen here. (SQLite has one writer; its suffix is empty.)
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "SELECT id FROM sessions WHERE series_id = @series ORDER BY id" + database.LockRowSuffix, series, scope.Transaction, cancellationToken: cancellationToken));
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                SELECT c.id FROM courses c
                WHERE c.id IN (SELECT cs.course_id FROM course_sessions cs JOIN sessions s ON s.id = cs.session_id WHERE s.series_id = @series)
                ORDER BY c.id
                """ + database.LockRowSuffix, series, scope.Transaction, cancellationToken: cancellationToken));
        }

        var candidates = await scope.Connection.QueryAsync<(string session_id, string registration_id)>(new CommandDefinition(
            candidatesSql, series, scope.Transaction, cancellationToken: cancellationToken));
        foreach (var session in candidates.GroupBy(a => a.session_id))
        {
            var change = new TrainingRecordChange(Guid.Parse(session.Key), session.Select(a => Guid.Parse(a.registration_id)).ToList(), null, clock.GetUtcNow(), reason);
            foreach (var observer in observers)
            {
                await observer.TrainingRecordChangedAsync(scope, change, cancellationToken);
            }
        }
    }
}
