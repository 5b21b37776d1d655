namespace LearnHub.Web;

/// <summary>
/// Names the interface text every visitor sees (Resources/SharedResource.*.resx): the layout's navigation, footer and
/// language picker, the shared partials, and the public, registrant and learner pages. The keys are the English text
/// itself, so English needs no resource file and a missing translation shows English rather than a key.
/// </summary>
public sealed class SharedResource;

/// <summary>The interface text of the organizer's pages (Pages/Organizer): Resources/OrganizerResource.*.resx.</summary>
public sealed class OrganizerResource;

/// <summary>
/// The interface text of the staff pages outside the organizer's: administration (Pages/Admin) and mentoring and its
/// coordination (Pages/Mentoring): Resources/StaffResource.*.resx.
/// </summary>
public sealed class StaffResource;

/// <summary>
/// The interface text of a learner's own pages after a session: My learning, recordings, evaluations and certificates
/// (Pages/Learning, Recordings, Evaluations, Certificates): Resources/LearnerResource.*.resx.
/// </summary>
public sealed class LearnerResource;

/// <summary>
/// The messages of LearnHub's rules (src/Grains, the stores, the input guard, the API's problems), which are written
/// in English where the rule is and translated where they are shown (<see cref="Localization.Messages"/>):
/// Resources/MessageResource.*.resx.
/// </summary>
public sealed class MessageResource;
