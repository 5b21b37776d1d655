namespace LearnHub.Web;

/// <summary>
/// Names the interface text every page shares (Resources/SharedResource.*.resx): the layout's navigation, footer and
/// language picker. The keys are the English text itself, so English needs no resource file and a missing translation
/// shows English rather than a key.
/// </summary>
public sealed class SharedResource;
