using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Certificates;

/// <summary>
/// The Learning Exchange preparation mail (issue 14), on both engines: two days before an exchange, one mail to each
/// confirmed registrant who did not attend its webinar, once its webinar has a published recording; never twice.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class ExchangePreparationMailTests(DatabaseFixture fixture)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TwoDaysBefore_OnlyThoseWhoMissedTheWebinar_AreMailedItsRecording_Once(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var webinar = await world.SessionAsync("Motivational Interviewing");
        var starts = world.Clock.GetUtcNow().AddDays(3);
        var exchange = await world.Catalog.CreateSessionAsync(new SessionDraft(world.Series, SessionKind.LearningExchange, "Learning Exchange", "A discussion.",
            starts, starts.AddHours(1), "America/Denver", 20, [], WebinarId: webinar), default);
        var attendee = await world.RegisterAsync(webinar, "pat.okafor@example.org", "Pat Okafor");
        await world.AttendAsync(webinar, attended: true, registrations: attendee);
        await world.RegisterAsync(exchange, "pat.okafor@example.org", "Pat Okafor");
        var missed = await world.RegisterAsync(exchange, "kim.nguyen@example.org", "Kim Nguyen");
        var job = new ExchangePreparationMail(world.Database, world.Clock, Options.Create(new MailOptions { PublicBaseUrl = "https://learnhub.example" }),
            NullLogger<ExchangePreparationMail>.Instance);

        // Three days before: not yet. Two days before, without a published recording: nothing to send yet.
        Assert.Equal(0, await job.QueueDueAsync(default));
        world.Clock.Advance(TimeSpan.FromDays(1.5));
        Assert.Equal(0, await job.QueueDueAsync(default));

        var recording = Guid.NewGuid();
        await using (var connection = await world.Database.OpenAsync(default))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO session_media (id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, published_utc_ms, created_utc_ms)
                VALUES (@id, @session, 'recording', 'Recording', 'registrants', 'r.webm', 'video/webm', @sha, 10, @at, @at)
                """, new { id = recording.ToString(), session = webinar.ToString(), sha = new string('c', 64), at = world.Clock.GetUtcNow().ToUnixTimeMilliseconds() });
        }

        Assert.Equal(1, await job.QueueDueAsync(default));
        Assert.Equal(0, await job.QueueDueAsync(default));
        await using (var connection = await world.Database.OpenAsync(default))
        {
            var (recipient, registration, data) = await connection.QuerySingleAsync<(string, string, string)>(
                "SELECT recipient, registration_id, data FROM outbox_messages WHERE purpose = 'exchange-preparation'");
            Assert.Equal(("kim.nguyen@example.org", missed.ToString()), (recipient, registration));
            Assert.Contains($"https://learnhub.example/recordings/{recording}", data, StringComparison.Ordinal);
        }
    }
}
