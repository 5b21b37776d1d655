using LearnHub.Grains.Catalog;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using Microsoft.Extensions.Logging;

namespace LearnHub.Silo.Catalog;

/// <summary>
/// Seeds the "Mind the Gap" series on first start of the embedded default, so a fresh clone shows a real catalog.
/// Dates are placed around "now": the first four instalments have happened, the rest are upcoming. Everything is
/// created through the series and session grains, as an organizer's forms would.
/// </summary>
public sealed class DemoSeeder(CatalogStore catalog, IGrainFactory grains, LearnHubClock clock, ILogger<DemoSeeder> logger)
{
    /// <summary>The slug of the seeded series.</summary>
    public const string SeriesSlug = "mind-the-gap";

    /// <summary>The slug of the seeded in-person training series.</summary>
    public const string TrainingSlug = "trauma-informed-services";

    private const string SeriesZone = "America/New_York";

    private static readonly (string Title, string Presenters)[] Instalments =
    [
        ("Introducing the Workforce Development Framework", "National Child Welfare Workforce Institute"),
        ("Simulation Labs for Child Welfare Education and Training", "University simulation-lab faculty"),
        ("Children's Corps: A Dynamic Approach to Child Welfare Worker Recruitment, Screening and Selection", "Children's Corps"),
        ("Child Welfare Training Competencies in Action: The Ohio Experience", "Ohio Child Welfare Training Program"),
        ("Transforming Child Welfare Decision-making through Modern Technology & Data Analytics", "State child-welfare data and analytics team"),
        ("Becoming a Trauma-informed Child Welfare Agency: The Waupaca County Journey", "Waupaca County Department of Health & Human Services"),
        ("Real World Barriers & Strategies for Evidence-based Practice Implementation", "Implementation science researchers"),
        ("Prioritizing Supervision: Comprehensive Supervisory Development in Indiana", "Indiana Department of Child Services"),
        ("Achieving Racial Equity through Workforce & Organizational Change", "Agency equity leads"),
        ("Peer Mentoring, Crisis Response & Resilience-building: NJ DCF's Worker2Worker Program", "New Jersey Department of Children and Families"),
    ];

    private static readonly (string City, string Venue, string Address, string Zone)[] TrainingCities =
    [
        ("Columbus, OH", "Franklin County Human Services Training Center", "855 W Mound St", "America/New_York"),
        ("Indianapolis, IN", "Marion County Family Services Conference Hall", "200 E Washington St", "America/Indiana/Indianapolis"),
        ("Trenton, NJ", "Mercer County Professional Development Center", "640 S Broad St", "America/New_York"),
        ("Madison, WI", "Dane County Human Services Learning Center", "1202 Northport Dr", "America/Chicago"),
        ("Denver, CO", "Denver Human Services Training Room", "1200 Federal Blvd", "America/Denver"),
    ];

    /// <summary>Seeds both demo series unless any series exists; returns true when it seeded.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await catalog.AnySeriesAsync(cancellationToken))
        {
            return false;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var seriesId = await grains.CreateSeriesAsync(clock, new SeriesDraft(
            SeriesSlug,
            "Mind the Gap",
            "A national webinar series on the child-welfare workforce. Each instalment is a live National Webinar, followed a week later by a small-group Learning Exchange that turns it into practice."),
            cancellationToken);
        // Its description in Spanish and Chinese; its title stays English, so a newcomer sees both a translation and
        // the original marked as English around it.
        await grains.GetGrain<ISeriesGrain>(seriesId).SetTranslationsAsync(
        [
            new("es", "", "Una serie nacional de seminarios web sobre el personal de bienestar infantil. Cada entrega es un seminario web nacional en vivo y, una semana después, un intercambio de aprendizaje en grupo pequeño para llevarlo a la práctica."),
            new("zh-Hans", "", "关于儿童福利工作队伍的全国网络研讨会系列。每一期都是一场全国网络研讨会直播，一周后举行小组学习交流会，把所学用于实践。"),
        ], cancellationToken);
        for (var i = 0; i < Instalments.Length; i++)
        {
            var (title, presenters) = Instalments[i];
            var day = today.AddDays((i - 4) * 28);
            var webinarStart = At(day, 14, SeriesZone);
            var webinar = await grains.CreateSessionAsync(clock, new SessionDraft(
                seriesId, SessionKind.NationalWebinar, title,
                $"Instalment {i + 1} of Mind the Gap. {presenters} share what they built, what it took and what changed for their workforce.",
                webinarStart, webinarStart.AddMinutes(90), SeriesZone, 1000, [new Presenter(presenters, "Presenting organization")]),
                cancellationToken);
            var exchangeStart = At(day.AddDays(7), 14, SeriesZone);
            await grains.CreateSessionAsync(clock, new SessionDraft(
                seriesId, SessionKind.LearningExchange, $"Learning Exchange: {title}",
                "A facilitated small-group discussion of the webinar: bring your questions and your agency's experience.",
                exchangeStart, exchangeStart.AddMinutes(60), SeriesZone, 30, [new Presenter(presenters, "Facilitator")], WebinarId: webinar),
                cancellationToken);
        }

        var trainingId = await grains.CreateSeriesAsync(clock, new SeriesDraft(
            TrainingSlug,
            "Transforming Services through a Trauma-Informed Approach",
            "A one-day in-person training for front-line staff and supervisors, held in five cities."),
            cancellationToken);
        // The in-person training is translated whole, series and sessions, as an organizer serving bilingual staff would.
        await grains.GetGrain<ISeriesGrain>(trainingId).SetTranslationsAsync(
        [
            new("es", "Transformar los servicios con un enfoque informado sobre el trauma",
                "Una capacitación presencial de un día para el personal de primera línea y sus supervisores, en cinco ciudades."),
            new("zh-Hans", "以创伤知情的方式转变服务", "面向一线员工和督导的一日线下培训，在五个城市举办。"),
        ], cancellationToken);
        for (var i = 0; i < TrainingCities.Length; i++)
        {
            var (city, venue, address, zone) = TrainingCities[i];
            var start = At(today.AddDays(21 + (i * 14)), 9, zone);
            var training = await grains.CreateSessionAsync(clock, new SessionDraft(
                trainingId, SessionKind.InPersonTraining, "Transforming Services through a Trauma-Informed Approach",
                "What trauma does to the people we serve and to the people who serve them, and how an agency changes its practice.",
                start, start.AddHours(7), zone, 40, [new Presenter("Trauma-informed care trainers", "Training team")], venue, city) { VenueAddress = address },
                cancellationToken);
            await grains.Roster(training, SessionKind.InPersonTraining).SetTranslationsAsync(
            [
                new("es", "Transformar los servicios con un enfoque informado sobre el trauma",
                    "Lo que el trauma causa en las personas a quienes servimos y en quienes las atienden, y cómo una agencia cambia su práctica."),
                new("zh-Hans", "以创伤知情的方式转变服务", "创伤会给我们服务的人和为他们服务的人带来什么影响，以及机构如何改变自己的实践。"),
            ], cancellationToken);
        }

        logger.LogInformation("Seeded the demo catalog: Mind the Gap and the trauma-informed in-person training");
        return true;
    }

    private static DateTimeOffset At(DateOnly day, int hour, string zone) =>
        ZonedTime.AtLocal(day, new TimeOnly(hour, 0), TimeZoneInfo.FindSystemTimeZoneById(zone));
}
