using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Grains.Media;
using LearnHub.Silo.Certificates;

namespace LearnHub.Web.Media;

/// <summary>
/// Where one registrant stands with self-study credit for a session (issue 14), as the watch and check pages show it:
/// the series' rule, the session's knowledge check and their standing in it, the share they played, and the
/// certificate their registration holds.
/// </summary>
/// <param name="Rule">The series' self-study rule (switched on, or there is no state).</param>
/// <param name="Check">The session's knowledge check, or null when it has none.</param>
/// <param name="Standing">The registrant's attempts at it, or null when there is no check.</param>
/// <param name="Share">The share of the recording they played, from 0 to 1.</param>
/// <param name="Certificate">The certificate in force their registration holds (live or self-study), or null.</param>
/// <param name="CertificateUrl">That certificate's keyed link (it opens without an account), or null.</param>
public sealed record SelfStudyState(SelfStudyRule Rule, KnowledgeCheck? Check, CheckStanding? Standing, double Share, CertificateView? Certificate, string? CertificateUrl)
{
    /// <summary>They played the share the series asks for.</summary>
    public bool PlayedEnough => Share * 100 >= Rule.Percent - 1e-9;

    /// <summary>The check is theirs to take now: played enough, no certificate yet, not passed, attempts left.</summary>
    public bool MayTakeCheck => Check is not null && Standing is { AttemptsLeft: > 0 } && PlayedEnough && Certificate is null;
}

/// <summary>Reads <see cref="SelfStudyState"/> for a registrant.</summary>
public sealed class SelfStudyReader(IGrainFactory grains, CertificateStore certificates, CertificateKeys keys)
{
    /// <summary>
    /// The state of <paramref name="registrationId"/> for <paramref name="recording"/> of <paramref name="session"/>, or
    /// null when the series grants no self-study credit.
    /// </summary>
    public async Task<SelfStudyState?> ForAsync(SessionView session, MediaItem recording, Guid registrationId, ViewProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(recording);
        if ((await certificates.SeriesSettingsAsync(session.SeriesId, cancellationToken))?.SelfStudyOrDefault is not { Enabled: true } rule)
        {
            return null;
        }

        var checkGrain = grains.GetGrain<IKnowledgeCheckGrain>(session.Id);
        var check = await checkGrain.GetAsync();
        var standing = check is null ? null : await checkGrain.StandingAsync(registrationId);
        var certificate = await certificates.LiveForRegistrationAsync(registrationId, cancellationToken);
        return new SelfStudyState(rule, check, standing, progress?.Share ?? 0, certificate, certificate is null ? null : keys.Link("", certificate.Id));
    }
}
