using System.Globalization;
using Dapper;
using LearnHub.Grains.Branding;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Messaging;

/// <summary>What composing an outbox row came to: a message, or the reason it is no longer to be sent.</summary>
public sealed record Composition(OutgoingMail? Mail, string? SkipReason);

/// <summary>
/// Renders an outbox row at delivery time, in the recipient's time zone, from the registration and session as they
/// are then, plus the facts the row recorded when it was queued (a waitlist position, a reminder's lead time).
/// Every piece of text is HTML-encoded in the HTML part. The join link goes only to registrants holding a seat.
/// </summary>
/// <remarks>
/// Each message is written in its recipient's language: a registrant's mail in the language of the registration, account
/// and mentoring mail in the learner preference of the recipient's address (the picker, or their latest registration);
/// English when neither says otherwise. Only the words around the data are translated: titles, names and organizer
/// text are sent as they were written.
/// </remarks>
public sealed class MailComposer(LearnHubDatabase database, ManageLinks links, IOptions<MailOptions> options, LearnHubClock clock, Certificates.CertificateKeys certificateKeys,
    Branding.BrandingStore branding, Media.MediaPasses mediaPasses, IGrainFactory grains)
{

    /// <summary>
    /// Reads many rows with one query, and gives for each a function that renders it. A function throws what rendering its
    /// row throws (a permanent error for an address that can never be used), and only when it is called: one bad row
    /// does not fail the others. Each renders its row in place (a translation replaces the row's texts): call it once.
    /// </summary>
    /// <remarks>
    /// A row is rendered when its message is about to be sent, not with the others: a pass holds as many rendered
    /// messages as it sends at once (LearnHub:Mail:Parallelism, 8), not its whole batch (200, each an HTML part with its
    /// styles inlined and a text part, a confirmation also its calendar invite). Rendering a whole batch first was the web
    /// process's highest memory of the benchmark, when the storms' mail went out.
    /// </remarks>
    public async Task<IReadOnlyDictionary<string, Func<Composition>>> PrepareManyAsync(IReadOnlyList<string> outboxIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxIds);
        var (inList, parameters) = SqlLists.Parameters("id", outboxIds);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT o.id, o.message_id, o.recipient, o.purpose, o.data, o.registration_id,
                   COALESCE(r.name, u.display_name) AS name, r.status AS registration_status, r.accommodation_state, r.accommodation_note, r.time_zone AS registrant_zone, r.group_id, r.group_secret,
                   s.id AS session_id, s.title, s.kind, s.description_html, s.starts_utc_ms, s.ends_utc_ms, s.time_zone AS session_zone,
                   s.join_url, s.invite_sequence, s.status AS session_status, s.venue, s.venue_address, s.city, se.title AS series_title,
                   a.attended, (SELECT COUNT(*) FROM attendance sa WHERE sa.session_id = o.session_id) AS attendance_count, r.language AS registrant_language,
                   s.translations AS session_translations, se.translations AS series_translations
            FROM outbox_messages o
            LEFT JOIN attendance a ON a.registration_id = o.registration_id
            LEFT JOIN sessions s ON s.id = o.session_id
            LEFT JOIN series se ON se.id = s.series_id
            LEFT JOIN registrations r ON r.id = o.registration_id
            LEFT JOIN users u ON u.email_normalized = o.recipient
            WHERE o.id IN ({inList})
            """, parameters, cancellationToken: cancellationToken))).ToDictionary(r => r.id);
        var brand = await branding.CurrentAsync(cancellationToken);
        var lists = await RegistrationListsAsync(connection,
            rows.Values.Where(r => r.purpose == MailPurpose.RegistrationList.ToWire()).Select(r => r.recipient).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var preferred = await PreferredLanguagesAsync(rows.Values.Where(r => r.registration_id is null).Select(r => r.recipient).Distinct(StringComparer.Ordinal).ToList());
        return outboxIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => (Func<Composition>)(() =>
            rows.TryGetValue(id, out var row)
                ? row.purpose == MailPurpose.RegistrationList.ToWire()
                    ? RenderRegistrationList(row, lists.GetValueOrDefault(row.recipient) ?? [], brand, MailText.For(preferred.GetValueOrDefault(row.recipient)))
                    : Render(row, brand, MailText.For(row.registration_id is null ? preferred.GetValueOrDefault(row.recipient) : row.registrant_language))
                : new Composition(null, "The message, its session or its registration no longer exists.")), StringComparer.Ordinal);
    }

    // The language each address chose (learner grain), for mail that is about no single registration: sign-in links,
    // mentoring, certificates, organizers' notices. A failed lookup is English, never a failed delivery.
    private async Task<Dictionary<string, string?>> PreferredLanguagesAsync(IReadOnlyList<string> recipients)
    {
        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lookups = recipients.Where(Mailboxes.IsBareAddress).Select(async recipient =>
        {
            try
            {
                return (recipient, (await grains.GetGrain<Grains.Learners.ILearnerGrain>(recipient).PreferencesAsync()).Language);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (recipient, (string?)null);
            }
        });
        foreach (var (recipient, language) in await Task.WhenAll(lookups))
        {
            found[recipient] = language;
        }

        return found;
    }

    private Composition Render(Row row, Brand brand, MailText t)
    {
        if (!Mailboxes.IsBareAddress(row.recipient))
        {
            // CR, LF and the like could smuggle headers into the message or the invite: never retried, never sent.
            throw new PermanentMailException($"The recipient address '{Mailboxes.Printable(row.recipient)}' is not valid.");
        }

        var purpose = MailPurposes.FromWire(row.purpose);
        var data = OutboxData.Parse(row.data);
        if (purpose is MailPurpose.RecordingReady or MailPurpose.RecordingMissed && row.attendance_count > 0)
        {
            // A recording published before the session ended is sent at the end, when attendance may have been
            // recorded since: "ready" or "you missed it" follows the attendance as it is at delivery.
            purpose = row.attended == 1 ? MailPurpose.RecordingReady : MailPurpose.RecordingMissed;
        }

        if (purpose is MailPurpose.SignInLink or MailPurpose.SignUpLink or MailPurpose.Invitation or MailPurpose.PasswordReset or MailPurpose.MenteeAssigned or MailPurpose.MentorAssigned
            or MailPurpose.FollowUpDue or MailPurpose.FollowUpOverdue or MailPurpose.FollowUpEscalated or MailPurpose.CertificateIssued or MailPurpose.CertificateRevoked
            or MailPurpose.AccommodationRequestsDigest or MailPurpose.AccommodationRequestsOpen)
        {
            // The certificate's key is added only now, at delivery: the outbox row never holds it.
            return RenderAccountMail(row, purpose, purpose == MailPurpose.CertificateIssued ? data with { Link = WithCertificateKey(data.Link) } : data, brand, t);
        }

        if (row.session_id is null)
        {
            return new Composition(null, "The session this message is about no longer exists.");
        }

        var registrationStatus = row.registration_status is null ? (RegistrationStatus?)null : RegistrationRow.StatusFromWire(row.registration_status);
        var holdsSeat = registrationStatus == RegistrationStatus.Confirmed;
        if (purpose is MailPurpose.Reminder or MailPurpose.JoinLinkChanged && (!holdsSeat || row.session_status != "scheduled"))
        {
            return new Composition(null, "The registrant no longer holds a seat, or the session was cancelled.");
        }

        // Composed at delivery: news of a seat or a waitlist place that no longer stands would contradict the later
        // cancellation (and re-add the event to a calendar), so it is not sent.
        if (purpose is MailPurpose.OrganizerMessage or MailPurpose.RecordingReady or MailPurpose.RecordingMissed or MailPurpose.ManageLinkResent
                or MailPurpose.AccommodationAnswered
            && registrationStatus == RegistrationStatus.Cancelled)
        {
            return new Composition(null, "The registration was cancelled before this message went out.");
        }

        if (purpose == MailPurpose.ExchangePreparation && (!holdsSeat || row.session_status != "scheduled"))
        {
            return new Composition(null, "The registrant no longer holds a seat in the Learning Exchange, or it was cancelled.");
        }

        if (purpose is MailPurpose.RegistrationConfirmed or MailPurpose.Promoted or MailPurpose.Waitlisted or MailPurpose.ConfirmationResent
                or MailPurpose.RegistrationMoved
            && (registrationStatus == RegistrationStatus.Cancelled || row.session_status != "scheduled"))
        {
            return new Composition(null, "The registration was cancelled, or the session was, before this message went out.");
        }

        if (purpose is MailPurpose.RecordingReady or MailPurpose.RecordingMissed or MailPurpose.ExchangePreparation)
        {
            // Most registrants have no account: the watch link carries a pass for this registration and recording,
            // made now, at delivery, so the outbox row never holds it.
            data = data with { Link = WithMediaPass(data.Link, row.registration_id) };
        }

        var mail = options.Value;
        var zone = row.registrant_zone ?? row.session_zone;
        var starts = DateTimeOffset.FromUnixTimeMilliseconds(row.starts_utc_ms);
        var ends = DateTimeOffset.FromUnixTimeMilliseconds(row.ends_utc_ms);
        var when = t.Range(starts, ends, zone);
        var manageUrl = row.group_id is null ? null
            : ManageLinks.Url(mail.PublicBaseUrl, links.TokenFor(new RegistrationGroup(Guid.Parse(row.group_id), row.group_secret!)));
        var where = row.venue is null ? null : string.Join(", ", new[] { row.venue, row.venue_address, row.city }.Where(part => !string.IsNullOrWhiteSpace(part)));
        var joinUrl = holdsSeat && purpose is MailPurpose.RegistrationConfirmed or MailPurpose.Promoted or MailPurpose.Reminder or MailPurpose.SessionChanged
                or MailPurpose.JoinLinkChanged or MailPurpose.ConfirmationResent or MailPurpose.RegistrationMoved
            ? row.join_url
            : null;

        // The organizer's own text in the recipient's language where they translated it (the original otherwise).
        Translate(row, t.Language);
        var title = row.title;
        var (subject, lead) = purpose switch
        {
            MailPurpose.RegistrationConfirmed => (t["Registered: {0}", title], t["You are registered. Your seat is confirmed."]),
            MailPurpose.Waitlisted => (t["Waitlisted: {0}", title],
                t["This session is full, so you are on the waitlist at position {0}. You move up automatically when someone cancels, and we will email you if a seat becomes yours.", data.WaitlistPosition]),
            MailPurpose.Promoted => (t["A seat is yours: {0}", title], t["A seat opened up and it is now yours: your registration is confirmed."]),
            MailPurpose.RegistrationCancelled => (t["Cancelled: {0}", title], t["Your registration has been cancelled. You can register again while registration is open."]),
            MailPurpose.Reminder => (t["{0}: {1}", Lead(data.ReminderOffsetMinutes, t), title], ReminderLead(data.ReminderOffsetMinutes, title, t)),
            MailPurpose.SessionChanged => (t["New time: {0}", title], holdsSeat
                ? t["The session has moved. Your seat is kept; the calendar invite attached replaces the old one."]
                : t["The session has moved. You keep your place on the waitlist."]),
            MailPurpose.SessionCancelled => (t["Session cancelled: {0}", title], t["We are sorry: this session has been cancelled. Your registration is closed and nothing more is needed from you."]),
            // The organizers' own words are sent as they wrote them; only the fallback subject is LearnHub's.
            MailPurpose.OrganizerMessage => (data.MessageSubject ?? t["About {0}", title], data.MessageBody ?? ""),
            // The link (long, with its pass) is the action's alone: in a sentence it would not wrap on a phone.
            MailPurpose.RecordingReady => (t["Recording ready: {0}", title], t["The recording of this session is ready to watch, without an account: use the link below."]),
            MailPurpose.EvaluationRequested => (t["Your evaluation: {0}", title],
                t["Thank you for attending. Please tell us how it went: the evaluation takes about two minutes, and you can answer anonymously."]),
            MailPurpose.RecordingMissed => (t["You missed it: the recording of {0}", title],
                t["We missed you at this session. Its recording is ready, so you can watch it when it suits you, without an account: use the link below."]),
            MailPurpose.ExchangePreparation => (t["Before the Learning Exchange: {0}", title],
                t["This Learning Exchange discusses the webinar “{0}”, which you did not attend live. To come prepared, watch its recording (the link below works without an account); its handouts are on your registration's page.", data.Detail]),
            MailPurpose.JoinLinkChanged => (t["New join link: {0}", title],
                t["The link to join this session has changed. Use the link below; the calendar invite attached replaces the old one."]),
            // Composed from the answer as it stands at delivery, with the organizer's note as they wrote it.
            MailPurpose.AccommodationAnswered => Accommodation.FromWire(row.accommodation_state) == AccommodationState.Arranged
                ? (t["Accommodation arranged: {0}", title], t["Your accommodation request has been arranged."] + NoteOf(row, t))
                : (t["About your accommodation request: {0}", title],
                    t["We are sorry: the organizers cannot arrange your accommodation request as asked."] + NoteOf(row, t)
                    + " " + t["You can change your request from your manage link."]),
            MailPurpose.ManageLinkResent => (t["Your manage link: {0}", title],
                t["Someone registered again for this session with your address, so nothing changed: you are already registered. Here is your private manage link again: use it to see, change or cancel your registration."]),
            MailPurpose.CancelledByOrganizer => (t["Cancelled: {0}", title],
                t["The organizers of this session have cancelled your registration. If you still want to attend, you can register again while registration is open."]),
            // Seat or waitlist as the registration stands at delivery: an organizer may have promoted them since.
            MailPurpose.ConfirmationResent => (t["Your registration: {0}", title], holdsSeat
                ? t["The organizers asked us to send your confirmation again: your seat is confirmed. The calendar invite is attached, and your private manage link is below."]
                : t["The organizers asked us to send your confirmation again: you are on the waitlist for this session, and we will email you if a seat becomes yours. Your private manage link is below."]),
            MailPurpose.RegistrationMoved => (t["Moved: {0}", title], holdsSeat
                ? t["The organizers moved your registration from {0} to this session. Your seat here is confirmed; the calendar invite attached is for this session, so remove the old one from your calendar.", data.Detail]
                : t["The organizers moved your registration from {0} to this session. It is full, so you are on its waitlist at position {1}; we will email you if a seat becomes yours. Remove the old session from your calendar.", data.Detail, data.WaitlistPosition]),
            _ => throw new ArgumentOutOfRangeException(nameof(row), purpose, "Unknown purpose."),
        };

        CalendarPart? invite = null;
        var sendsInvite = purpose is MailPurpose.RegistrationConfirmed or MailPurpose.Promoted or MailPurpose.RegistrationCancelled or MailPurpose.CancelledByOrganizer
            || (holdsSeat && purpose is MailPurpose.SessionChanged or MailPurpose.SessionCancelled or MailPurpose.JoinLinkChanged or MailPurpose.ConfirmationResent
                or MailPurpose.RegistrationMoved);
        if (sendsInvite)
        {
            var from = mail.FromAddress;
            invite = Invites.ForAttendee(
                new InviteEvent(Guid.Parse(row.session_id!), row.invite_sequence, row.title, Describe(row, joinUrl, t), starts, ends, row.session_zone,
                    where ?? joinUrl, purpose is MailPurpose.RegistrationCancelled or MailPurpose.SessionCancelled or MailPurpose.CancelledByOrganizer, clock.GetUtcNow()),
                from.Address, string.IsNullOrEmpty(from.Name) ? "LearnHub" : from.Name, row.recipient, row.name ?? row.recipient);
        }

        var evaluationUrl = purpose == MailPurpose.EvaluationRequested ? data.Link : null;
        var sessionUrl = $"{mail.PublicBaseUrl.TrimEnd('/')}/sessions/{row.session_id}";
        // The one button: what this email asks the person to do next.
        var action = purpose switch
        {
            MailPurpose.EvaluationRequested when evaluationUrl is not null => new MailLink(t["Answer the evaluation"], evaluationUrl),
            MailPurpose.RecordingReady or MailPurpose.RecordingMissed when data.Link is not null => new MailLink(t["Watch the recording"], data.Link),
            MailPurpose.ExchangePreparation when data.Link is not null => new MailLink(t["Watch the webinar's recording"], data.Link),
            MailPurpose.RegistrationCancelled or MailPurpose.CancelledByOrganizer => new MailLink(t["See the session"], sessionUrl),
            MailPurpose.SessionCancelled => new MailLink(t["Find another session"], $"{mail.PublicBaseUrl.TrimEnd('/')}/"),
            _ when joinUrl is not null => new MailLink(t["Join the session"], joinUrl),
            _ when manageUrl is not null => new MailLink(t["See or cancel your registration"], manageUrl),
            _ => new MailLink(t["See the session"], sessionUrl),
        };
        var facts = new List<(string, string, string?)> { (t["When"], when, null) };
        if (where is not null)
        {
            facts.Add((t["Where"], where, null));
        }

        if (joinUrl is not null)
        {
            facts.Add((t["Join"], joinUrl, joinUrl));
        }

        var further = new List<MailLink>();
        if (manageUrl is not null && action.Url != manageUrl)
        {
            further.Add(new MailLink(t["See or cancel your registration"], manageUrl));
        }

        var (html, text) = MailLayout.Render(new MailContent(subject, Preheader(lead), t["Hello {0},", row.name], [lead])
        {
            Language = t.Language,
            Heading = row.title,
            Subheading = $"{t[SessionKinds.FromWire(row.kind).DisplayName()]} · {row.series_title}",
            Facts = facts,
            Action = action,
            Links = further,
            Reason = purpose == MailPurpose.OrganizerMessage
                ? t["You are getting this because the organizers of {0} wrote to everyone registered for it, and you registered as {1}.", row.title, row.recipient]
                : t["You are getting this because you registered for {0} as {1}.", row.title, row.recipient],
        }, brand);
        return new Composition(new OutgoingMail(row.message_id, row.recipient, row.name ?? "", subject, text, html, invite) { Logo = MailLayout.Logo(brand) }, null);
    }

    private static void Translate(Row row, string language)
    {
        if (ContentTranslations.For(ContentTranslations.FromColumn(row.session_translations), language) is { } session)
        {
            row.title = string.IsNullOrWhiteSpace(session.Title) ? row.title : session.Title;
            row.description_html = string.IsNullOrWhiteSpace(session.DescriptionHtml) ? row.description_html : session.DescriptionHtml;
        }

        if (ContentTranslations.For(ContentTranslations.FromColumn(row.series_translations), language) is { Title: { Length: > 0 } seriesTitle })
        {
            row.series_title = seriesTitle;
        }

        (row.session_translations, row.series_translations) = (null, null);
    }

    private static string NoteOf(Row row, MailText t) => string.IsNullOrWhiteSpace(row.accommodation_note) ? "" : "\n\n" + t["The organizers' note: {0}", row.accommodation_note];

    // The line inbox lists show after the subject: the lead's first sentence (Chinese ends it with a full-width stop or colon).
    private static string Preheader(string lead)
    {
        var end = lead.IndexOfAny(['.', ':', '\n', '。', '：']);
        return (end > 0 ? lead[..(end + 1)] : lead).Trim();
    }

    private string? WithCertificateKey(string? link) =>
        link is not null && Guid.TryParse(link[(link.LastIndexOf('/') + 1)..], out var certificate)
            ? $"{link}?{Certificates.CertificateKeys.Parameter}={certificateKeys.Issue(certificate)}"
            : link;

    private string? WithMediaPass(string? link, string? registrationId) =>
        link is not null && registrationId is not null && Guid.TryParse(link[(link.LastIndexOf('/') + 1)..], out var media)
            ? $"{link}?{MediaPassParameter}={mediaPasses.Issue(Guid.Parse(registrationId), media, Media.MediaPasses.MailLifetime)}"
            : link;

    /// <summary>The query parameter the recording and media URLs read a pass from.</summary>
    public const string MediaPassParameter = "pass";

    private static Composition RenderAccountMail(Row row, MailPurpose purpose, OutboxData data, Brand brand, MailText t)
    {
        var inviter = Inviter(data, t);
        var (subject, lead, validity) = purpose switch
        {
            MailPurpose.SignInLink => (t["Your LearnHub sign-in link"], t["Use this link to sign in to LearnHub."], t["It works once and expires in 30 minutes."]),
            MailPurpose.SignUpLink => (t["Create your LearnHub account"], t["Use this link to create your LearnHub account. Everything you registered for with this address will be in My learning, with your certificates and CE hours."],
                t["It works once and expires in 24 hours."]),
            // The invited person never asked for anything: the mail says who invited them, to what and as what, and what
            // to do when it is unexpected. A row queued before invitations named their inviter says "an administrator".
            MailPurpose.Invitation => (t["{0} invited you to {1}", inviter, Platform(brand, t)],
                (data.Counterpart is { } who
                    ? data.Detail is null
                        ? t["{0}, has invited you to {1}, the training and peer-mentoring platform.", InviterWithRole(who, t), Platform(brand, t)]
                        : t["{0}, has invited you to {1}, the training and peer-mentoring platform, as {2}.", InviterWithRole(who, t), Platform(brand, t), Roles(data.Detail, t)]
                    : data.Detail is null
                        ? t["An administrator has invited you to {0}, the training and peer-mentoring platform.", Platform(brand, t)]
                        : t["An administrator has invited you to {0}, the training and peer-mentoring platform, as {1}.", Platform(brand, t), Roles(data.Detail, t)])
                    + " " + t["Use this link to choose your password and sign in."],
                t["It works once and expires in 7 days. If you did not expect this invitation, you need not do anything: nobody can sign in to the account until a password is chosen through this link. Questions about it go to {0}.", inviter]),
            MailPurpose.MenteeAssigned => (t["You have a new mentee"], t["{0} has been assigned to you as a mentee. Follow-ups are due monthly from today; the mentorship page shows the next one.", data.Counterpart],
                t[$"The notes you log there are {Grains.Mentoring.NoteAccess.Readers}."]),
            MailPurpose.MentorAssigned => (t["Meet your peer mentor"], t["Your peer mentor is {0}. They will get in touch, and will check in with you every month.", data.Counterpart],
                t["What you share with your mentor stays confidential."]),
            MailPurpose.FollowUpDue => (t["Follow-up due: {0}", data.Counterpart], t["Your monthly follow-up with {0} is due on {1}.", data.Counterpart, t.Date(data.Detail)],
                t["Log it, move it or skip it (with a reason) on your mentoring dashboard."]),
            MailPurpose.FollowUpOverdue => (t["Overdue follow-up: {0}", data.Counterpart], t["Your monthly follow-up with {0} was due on {1} and has not been logged.", data.Counterpart, t.Date(data.Detail)],
                t["Log it, move it or skip it (with a reason) on your mentoring dashboard; your coordinator is told if it stays overdue."]),
            MailPurpose.FollowUpEscalated => (t["Escalation: overdue mentoring follow-up"], t["A monthly follow-up has not been logged: {0}, due {1}.", Pair(data.Counterpart, t), t.Date(data.Detail)],
                t["The mentorship page shows its follow-ups (notes stay confidential)."]),
            MailPurpose.CertificateIssued => (t["Your certificate: {0}", data.Detail],
                t["Congratulations: you have earned a certificate for {0}. Open it to print it or download it as a PDF; its verification code lets anyone confirm it.", data.Detail],
                t["Your transcript on LearnHub lists all your certificates and CE hours."]),
            MailPurpose.CertificateRevoked => (t["Certificate withdrawn: {0}", data.Detail],
                t["Your certificate for {0} has been withdrawn: the attendance record it rested on was corrected. If you think this is a mistake, write to the organizers.", data.Detail],
                t["Its verification page now shows it as revoked."]),
            MailPurpose.AccommodationRequestsDigest => (t["New accommodation requests: {0}", Requests(data.Counterpart, t)],
                t["Registrants have asked for accommodations since the last of these emails: {0}.", RequestList(data.Detail, t)],
                t["Each session's organizer page lists its requests: mark each arranged or not possible, with a note the registrant reads. You get this email at most once an hour."]),
            MailPurpose.AccommodationRequestsOpen => (t["Open accommodation requests: {0}", data.Counterpart],
                OpenRequests(data.Counterpart, data.Detail, t),
                t["Mark each request arranged or not possible on the session's organizer page, with a note the registrant reads."]),
            _ => (t["Choose a new LearnHub password"], t["Use this link to choose a new password."], t["It works once and expires in 30 minutes."]),
        };
        var (button, reason) = purpose switch
        {
            MailPurpose.SignInLink => (t["Sign in"], t["Someone asked for a sign-in link for {0}.", row.recipient]),
            MailPurpose.SignUpLink => (t["Create your account"], t["Someone asked to create a LearnHub account for {0}.", row.recipient]),
            MailPurpose.Invitation => (t["Choose your password"], t["{0} invited {1} to {2}.", inviter, row.recipient, Platform(brand, t)]),
            MailPurpose.MenteeAssigned => (t["Open the mentorship"], t["You are a peer mentor and a coordinator assigned you a mentee."]),
            MailPurpose.MentorAssigned => (t["See your follow-up dates"], t["A coordinator assigned you a peer mentor."]),
            MailPurpose.FollowUpDue or MailPurpose.FollowUpOverdue => (t["Open your mentoring dashboard"], t["You are this person's peer mentor."]),
            MailPurpose.FollowUpEscalated => (t["Open the mentorship"], t["You coordinate the peer-mentoring programme."]),
            MailPurpose.CertificateIssued => (t["Open your certificate"], t["You attended a training as {0}.", row.recipient]),
            MailPurpose.CertificateRevoked => (t["See its verification page"], t["A certificate was issued to {0}.", row.recipient]),
            MailPurpose.AccommodationRequestsDigest or MailPurpose.AccommodationRequestsOpen => (t["Open the requests"], t["You are an organizer on LearnHub, and organizers arrange registrants' accommodations."]),
            _ => (t["Choose a new password"], t["Someone asked to reset the password of {0}.", row.recipient]),
        };
        var link = data.Link ?? throw new InvalidOperationException("An account message without its link.");
        // A course certificate concerns no single registration; its person's name travels with the row.
        row.name ??= purpose is MailPurpose.CertificateIssued or MailPurpose.CertificateRevoked ? data.Counterpart : null;
        var tail = purpose is MailPurpose.Invitation or MailPurpose.CertificateIssued or MailPurpose.CertificateRevoked or MailPurpose.MenteeAssigned or MailPurpose.MentorAssigned or MailPurpose.FollowUpDue or MailPurpose.FollowUpOverdue or MailPurpose.FollowUpEscalated
            or MailPurpose.AccommodationRequestsDigest or MailPurpose.AccommodationRequestsOpen ? "" : " " + t["If you did not ask for it, ignore this message: nothing changes."];
        var (html, text) = MailLayout.Render(new MailContent(subject, Preheader(lead), t["Hello {0},", row.name], [lead])
        {
            Language = t.Language,
            Action = new MailLink(button, link),
            Note = validity + tail,
            Reason = t["You are getting this because: {0}", reason],
        }, brand);
        return new Composition(new OutgoingMail(row.message_id, row.recipient, row.name ?? "", subject, text, html, null) { Logo = MailLayout.Logo(brand) }, null);
    }

    // "Northern Workforce Academy on LearnHub", or just "LearnHub" while no organisation name is saved.
    private static string Platform(Brand brand, MailText t) => brand.OrganisationName == Brand.Default.OrganisationName ? "LearnHub" : t["{0} on LearnHub", brand.OrganisationName];

    // The inviter's name alone ("Cora Coordinator"), from "Cora Coordinator (cora@example.org), a mentoring coordinator".
    // With no name it is the role's own phrase capitalized: a resource name differing only in case from another is dropped by the build.
    private static string Inviter(OutboxData data, MailText t) => data.Counterpart is { } c && c.IndexOf(" (", StringComparison.Ordinal) is > 0 and var end ? c[..end] : t.Capitalized(t["an administrator"]);

    // "Cora Coordinator (cora@example.org), a mentoring coordinator" with the role (written in English when queued) translated.
    private static string InviterWithRole(string counterpart, MailText t) =>
        counterpart.LastIndexOf("), ", StringComparison.Ordinal) is > 0 and var end
            ? t["{0}, {1}", counterpart[..(end + 1)], t[counterpart[(end + 3)..]]]
            : counterpart;

    // "a peer mentor and an organizer" (queued in English) with each role translated.
    private static string Roles(string roles, MailText t) =>
        t.IsEnglish ? roles : string.Join(t[" and "], roles.Split(" and ").Select(r => t[r]));

    // "Mo Mentor (mentor) with Mia Mentee", as the follow-up scheduler queues it, with its words translated.
    private static string Pair(string? counterpart, MailText t) =>
        counterpart is not null && !t.IsEnglish && counterpart.IndexOf(" (mentor) with ", StringComparison.Ordinal) is > 0 and var at
            ? t["{0} (mentor) with {1}", counterpart[..at], counterpart[(at + " (mentor) with ".Length)..]]
            : counterpart ?? "";

    // "3 requests" / "1 request", as the accommodation notices queue it, in the reader's language.
    private static string Requests(string? counted, MailText t)
    {
        if (counted is null || t.IsEnglish)
        {
            return counted ?? "";
        }

        var space = counted.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && long.TryParse(counted[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && counted[space..] is " request" or " requests"
            ? n == 1 ? t["{0} request", n] : t["{0} requests", n]
            : counted;
    }

    // "Title A (2 requests); Title B (1 request)": each session's count translated, its title as written.
    private static string RequestList(string? detail, MailText t)
    {
        if (detail is null || t.IsEnglish)
        {
            return detail ?? "";
        }

        return string.Join(t["; "], detail.Split("; ").Select(item =>
            item.EndsWith(')') && item.LastIndexOf(" (", StringComparison.Ordinal) is > 0 and var open
                ? t["{0} ({1})", item[..open], Requests(item[(open + 2)..^1], t)]
                : item));
    }

    // "Title has 2 requests still open; it starts Dec 8, 2026, 2:00 PM (zone)", with the count and words translated.
    private static string OpenRequests(string? title, string? detail, MailText t)
    {
        const string Still = " still open; it starts ";
        if (!t.IsEnglish && detail is not null && detail.IndexOf(Still, StringComparison.Ordinal) is > 0 and var at)
        {
            return t["{0} has {1} still open; it starts {2}.", title, Requests(detail[..at], t), detail[(at + Still.Length)..]];
        }

        return $"{title} has {detail}.";
    }

    // Every registration of the addresses asked about, newest session first; the groups' secrets make their manage links.
    private static async Task<Dictionary<string, List<ListedRegistration>>> RegistrationListsAsync(System.Data.Common.DbConnection connection,
        IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0)
        {
            return [];
        }

        var (inList, parameters) = SqlLists.Parameters("email", recipients);
        var rows = await connection.QueryAsync<ListedRegistration>(new CommandDefinition(
            $"""
            SELECT r.email_normalized, r.name, r.status, r.time_zone, r.group_id, r.group_secret, s.title, s.starts_utc_ms, s.ends_utc_ms
            FROM registrations r JOIN sessions s ON s.id = r.session_id
            WHERE r.email_normalized IN ({inList})
            ORDER BY s.starts_utc_ms DESC
            """, parameters, cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.email_normalized, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    // "Email me my registrations": each registration with its manage link, upcoming (soonest first) then past, at most
    // MaxListed of each. Composed at delivery, so the outbox row holds no manage link and the list is current.
    private Composition RenderRegistrationList(Row row, IReadOnlyList<ListedRegistration> registrations, Brand brand, MailText t)
    {
        if (registrations.Count == 0)
        {
            return new Composition(null, "The address has no registrations any more.");
        }

        var now = clock.GetUtcNow();
        var baseUrl = options.Value.PublicBaseUrl;
        MailLink Listed(bool upcoming, ListedRegistration r) => new(
            t[upcoming ? "Upcoming: {0}, {1} ({2})" : "Past: {0}, {1} ({2})", r.title,
                t.Range(DateTimeOffset.FromUnixTimeMilliseconds(r.starts_utc_ms), DateTimeOffset.FromUnixTimeMilliseconds(r.ends_utc_ms), r.time_zone),
                t[RegistrationRow.StatusFromWire(r.status) switch { RegistrationStatus.Confirmed => "confirmed", RegistrationStatus.Waitlisted => "on the waitlist", _ => "cancelled" }]],
            ManageLinks.Url(baseUrl, links.TokenFor(new RegistrationGroup(Guid.Parse(r.group_id), r.group_secret))));
        var upcoming = registrations.Where(r => r.ends_utc_ms > now.ToUnixTimeMilliseconds()).Reverse().Take(MaxListed).ToList();
        var past = registrations.Where(r => r.ends_utc_ms <= now.ToUnixTimeMilliseconds()).Take(MaxListed).ToList();
        var paragraphs = new List<string> { t["Here are the registrations made with this address. Each link opens that registration's private manage page: see it, join, change your details or cancel."] };
        var listed = upcoming.Select(r => Listed(true, r)).Concat(past.Select(r => Listed(false, r))).ToList();
        // The one button: the next session, if there is one; every registration is listed below it.
        var action = upcoming.Count > 0 ? listed[0] with { Label = t["Open your next registration"] } : new MailLink(t["Find a session"], $"{baseUrl.TrimEnd('/')}/");

        row.name ??= registrations[0].name;
        var subject = t["Your LearnHub registrations"];
        var (html, text) = MailLayout.Render(new MailContent(subject, t["Your registrations, with their private manage links."], t["Hello {0},", row.name], paragraphs)
        {
            Language = t.Language,
            Action = action,
            Links = listed,
            Note = t["Anyone who has these links can see and cancel your registrations: do not forward this message. If you did not ask for it, ignore it: nothing changes."],
            Reason = t["You are getting this because someone asked for the registrations of {0} to be emailed to it.", row.recipient],
        }, brand);
        return new Composition(new OutgoingMail(row.message_id, row.recipient, row.name ?? "", subject, text, html, null) { Logo = MailLayout.Logo(brand) }, null);
    }

    /// <summary>How many upcoming, and how many past, registrations the list mail shows at most.</summary>
    public const int MaxListed = 50;

    private sealed class ListedRegistration
    {
        public string email_normalized { get; set; } = "";
        public string name { get; set; } = "";
        public string status { get; set; } = "";
        public string time_zone { get; set; } = "";
        public string group_id { get; set; } = "";
        public string group_secret { get; set; } = "";
        public string title { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
    }

    // The reminder's lead time as a subject starts: "Tomorrow", "In 3 days", "In 1 hour".
    private static string Lead(int? minutes, MailText t) => minutes switch
    {
        null => t["Starting soon"],
        >= 1440 when minutes % 1440 == 0 => minutes == 1440 ? t["Tomorrow"] : t["In {0} days", minutes / 1440],
        >= 60 when minutes % 60 == 0 => minutes == 60 ? t["In 1 hour"] : t["In {0} hours", minutes / 60],
        _ => t["In {0} minutes", minutes],
    };

    // The reminder's first sentence: one key per lead time, so each language can place the time where it belongs.
    private static string ReminderLead(int? minutes, string title, MailText t) => minutes switch
    {
        null => t["A reminder: {0} starts starting soon.", title],
        >= 1440 when minutes % 1440 == 0 => minutes == 1440 ? t["A reminder: {0} starts tomorrow.", title] : t["A reminder: {0} starts in {1} days.", title, minutes / 1440],
        >= 60 when minutes % 60 == 0 => minutes == 60 ? t["A reminder: {0} starts in 1 hour.", title] : t["A reminder: {0} starts in {1} hours.", title, minutes / 60],
        _ => t["A reminder: {0} starts in {1} minutes.", title, minutes],
    };

    // Calendar apps show DESCRIPTION as it is: the text of the sanitized description, never its Markdown or HTML.
    private static string Describe(Row row, string? joinUrl, MailText t)
    {
        var text = Grains.Content.RichTextAsText.From(row.description_html);
        return joinUrl is null ? text : $"{text}\n\n{t["Join: {0}", joinUrl]}";
    }

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string message_id { get; set; } = "";
        public string recipient { get; set; } = "";
        public string purpose { get; set; } = "";
        public string data { get; set; } = "{}";
        public string? registration_id { get; set; }
        public string? name { get; set; }
        public string? registration_status { get; set; }
        public string? accommodation_state { get; set; }
        public string? accommodation_note { get; set; }
        public string? registrant_zone { get; set; }
        public string? group_id { get; set; }
        public string? group_secret { get; set; }
        public string? session_id { get; set; }
        public string title { get; set; } = "";
        public string kind { get; set; } = "";
        public string description_html { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public string session_zone { get; set; } = "";
        public string? join_url { get; set; }
        public long invite_sequence { get; set; }
        public string session_status { get; set; } = "";
        public string? venue { get; set; }
        public string? venue_address { get; set; }
        public string? city { get; set; }
        public string series_title { get; set; } = "";
        public long? attended { get; set; }
        public long attendance_count { get; set; }
        public string? registrant_language { get; set; }
        public string? session_translations { get; set; }
        public string? series_translations { get; set; }
    }
}
