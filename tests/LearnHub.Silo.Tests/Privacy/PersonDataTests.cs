using System.Text.Json.Nodes;
using Dapper;
using LearnHub.Grains.Learners;
using LearnHub.Silo.Privacy;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Privacy;

/// <summary>A person's export and erasure, on SQLite and PostgreSQL, over a silo whose grains hold the rosters.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class PersonDataTests(DatabaseFixture fixture)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Export_ListsEveryKindOfRecord_WithoutTheMentorsNotes(DatabaseProvider provider)
    {
        await using var world = await PersonWorld.CreateAsync(fixture, provider);

        var export = await world.Export.ExportAsync("  ROBIN.quill@example.org ", default);

        Assert.Equal(PersonWorld.Email, export["email"]!.GetValue<string>());
        Assert.Equal(PersonWorld.Name, export["account"]!["display_name"]!.GetValue<string>());
        Assert.Equal(2, export["registrations"]!.AsArray().Count);
        Assert.All(export["registrations"]!.AsArray(), r => Assert.Equal("Captions, please", r!["accommodations"]!.GetValue<string>()));
        // Asked only by the recorded session to come; the other never asked.
        Assert.Equal([("Family finding", "consents"), ("Trauma-informed supervision", null)], export["registrations"]!.AsArray()
            .Select(r => (r!["session_title"]!.GetValue<string>(), r["recording_consent"]?.GetValue<string>())).Order());
        // The answer to the series' question, as the question and the answer in words.
        var answers = export["registrations"]!.AsArray().Select(r => r!["answers"]!.AsArray()).Where(a => a.Count > 0).ToList();
        var answer = Assert.Single(Assert.Single(answers))!;
        Assert.Equal(("Name for your badge", "R. Quill"), (answer["question"]!.GetValue<string>(), answer["answer"]!.GetValue<string>()));
        Assert.Single(export["attendance"]!.AsArray());
        Assert.Contains("hard conversation", Assert.Single(export["exchangePreparations"]!.AsArray())!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("100", Assert.Single(export["knowledgeCheckAttempts"]!.AsArray())!["score_percent"]!.ToJsonString());
        Assert.Equal("More time for questions", Assert.Single(export["evaluations"]!.AsArray())!["suggestions"]!.GetValue<string>());
        Assert.Equal("QX7-ROBIN", Assert.Single(export["certificates"]!.AsArray())!["code"]!.GetValue<string>());
        var mentorship = Assert.Single(export["mentorships"]!.AsArray())!;
        Assert.Equal(("mentee", "Morgan Mentor"), (mentorship["my_role"]!.GetValue<string>(), mentorship["other_person"]!.GetValue<string>()));
        var followUp = Assert.Single(export["followUps"]!.AsArray())!;
        Assert.Equal("video", followUp["mode"]!.GetValue<string>());
        Assert.Null(followUp["notes"]);
        Assert.Equal(2, export["auditEntries"]!.AsArray().Count);
        Assert.DoesNotContain(PersonWorld.MentorNote, export.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(PersonExport.Sections.Order(), export.Select(p => p.Key).Where(PersonExport.Sections.Contains).Order());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Export_OfAnUnknownEmail_IsTheSameDocumentWithNothingInIt(DatabaseProvider provider)
    {
        await using var world = await PersonWorld.CreateAsync(fixture, provider);

        var export = await world.Export.ExportAsync("nobody@example.org", default);

        Assert.Null(export["account"]);
        Assert.All(PersonExport.Sections.Where(s => s != "account"), section => Assert.Empty(export[section]!.AsArray()));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Erase_LeavesTheEmailAndNameInNoTextColumn_AndCountsStillAddUp(DatabaseProvider provider)
    {
        await using var world = await PersonWorld.CreateAsync(fixture, provider);
        var attendanceBefore = await CountAsync(world, "SELECT COUNT(*) FROM attendance WHERE attended = 1");
        Assert.NotEmpty(await DatabaseScan.WhereTextHoldsAsync(world.Database, PersonWorld.Email));

        var result = await world.Erasure().EraseAsync(PersonWorld.Email, "request of 2026-11-12 by email from robin.quill@example.org", "test", default);

        Assert.Equal(ErasureOutcome.Erased, result.Outcome);
        Assert.Empty(await DatabaseScan.WhereTextHoldsAsync(world.Database, PersonWorld.Email));
        Assert.Empty(await DatabaseScan.WhereTextHoldsAsync(world.Database, PersonWorld.Name));
        Assert.Empty(await DatabaseScan.WhereTextHoldsAsync(world.Database, "Quill"));
        // Robin's seat in the webinar to come went to Alex, who waited; the rows and the grain agree.
        var coming = await world.Silo.Grains.Session(world.ComingSession).GetViewAsync();
        Assert.Equal((1, 0), (coming!.ConfirmedCount, coming.WaitlistedCount));
        foreach (var session in new[] { world.PastSession, world.ComingSession })
        {
            Assert.Equal(0, await CountAsync(world,
                $"""
                SELECT COUNT(*) FROM sessions s WHERE s.id = '{session}'
                AND (s.confirmed_count <> (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'confirmed')
                  OR s.waitlisted_count <> (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted'))
                """));
        }

        Assert.Equal(attendanceBefore, await CountAsync(world, "SELECT COUNT(*) FROM attendance WHERE attended = 1"));
        // The answers to the series' questions go with the person (the scans above hold "Quill"); Alex's stay.
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM registrations WHERE answers IS NOT NULL"));
        // The answer about the recording goes with the person; Alex's stays.
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM registrations WHERE recording_consent IS NOT NULL"));
        Assert.Equal(2, await CountAsync(world, "SELECT COUNT(*) FROM evaluation_responses WHERE registration_id IS NULL"));
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM exchange_preparations") + await CountAsync(world, "SELECT COUNT(*) FROM knowledge_check_attempts"));
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM certificates WHERE revoked_utc_ms IS NOT NULL"));
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.erased' AND detail LIKE '%[erased]%'"));
        Assert.Empty(await world.Silo.Grains.GetGrain<ILearnerGrain>(PersonWorld.Email).RegistrationsAsync());
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM user_roles"
            + $" WHERE user_id = '{world.RobinId}'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Erase_WithCertificatesKept_LeavesTheCertificateValid_UnderThePlaceholder(DatabaseProvider provider)
    {
        await using var world = await PersonWorld.CreateAsync(fixture, provider);

        await world.Erasure(ErasedCertificatePolicy.Keep).EraseAsync(PersonWorld.Email, "request", "test", default);

        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM certificates WHERE revoked_utc_ms IS NULL AND person_name = 'Erased person'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Erase_IsRefused_WithoutAReason_AndChangesNothing(DatabaseProvider provider)
    {
        await using var world = await PersonWorld.CreateAsync(fixture, provider);
        var before = await DatabaseScan.WhereTextHoldsAsync(world.Database, PersonWorld.Email);

        var result = await world.Erasure().EraseAsync(PersonWorld.Email, "  ", "test", default);

        Assert.Equal(ErasureOutcome.Refused, result.Outcome);
        Assert.Contains("reason", result.Problem, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseScan.WhereTextHoldsAsync(world.Database, PersonWorld.Email));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Erase_OfAnUnknownEmail_ErasesNothing(DatabaseProvider provider)
    {
        await using var world = await PersonWorld.CreateAsync(fixture, provider);
        var before = await DatabaseScan.RowCountsAsync(world.Database);
        var audit = await CountAsync(world, "SELECT COUNT(*) FROM audit_log WHERE actor_email IS NOT NULL");

        var result = await world.Erasure().EraseAsync("nobody@example.org", "request", "test", default);

        Assert.Equal(ErasureOutcome.NothingHeld, result.Outcome);
        Assert.Equal(before, await DatabaseScan.RowCountsAsync(world.Database));
        Assert.Equal(audit, await CountAsync(world, "SELECT COUNT(*) FROM audit_log WHERE actor_email IS NOT NULL"));
    }

    private static async Task<long> CountAsync(PersonWorld world, string sql)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
