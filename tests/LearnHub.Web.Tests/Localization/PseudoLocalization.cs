using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// A pseudo language for finding interface text that does not go through the resources: in it, every string a page
/// asks a localizer for comes back transformed (each Latin letter swapped for an accented one, the whole wrapped in
/// ⟦ ⟧; placeholders and markup untouched), whatever the resource files hold. Text that still reads as plain English
/// on a page in this language was written into the page, not looked up, so no translation can ever reach it.
/// </summary>
public static class PseudoLocalization
{
    /// <summary>The pseudo culture's tag (Windows' own pseudo-locale name; .NET builds it from invariant data).</summary>
    public const string Tag = "qps-Ploc";

    /// <summary>The setting of <see cref="LearnHubWebFactory"/> that speaks the pseudo language besides LearnHub's own.</summary>
    public const string Setting = "Tests:PseudoLocalization";

    public const char Open = '⟦';
    public const char Close = '⟧';

    private const string Plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Accented = "áƀćđéƒĝĥíĵķĺɱńóƥʠŕśţúʋŵẋýźÁƁĆĐÉƑĜĤÍĴĶĹṀŃÓƤɊŔŚŢÚƲŴẊÝŹ";

    /// <summary>Adds the pseudo culture to the request cultures and wraps every localizer so it answers in it.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.AddSingleton<IStringLocalizerFactory>(sp => new Factory(sp.GetRequiredService<ResourceManagerStringLocalizerFactory>()));
        services.PostConfigure<RequestLocalizationOptions>(options =>
        {
            var pseudo = CultureInfo.GetCultureInfo(Tag);
            options.SupportedCultures!.Add(pseudo);
            options.SupportedUICultures!.Add(pseudo);
        });
    }

    /// <summary>English text as the pseudo language writes it: "Sign in" becomes "⟦Śíĝń íń⟧"; "{0}" and "&lt;a href=…&gt;" stay.</summary>
    public static string Transform(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        var text = new StringBuilder(english.Length + 2).Append(Open);
        var skipUntil = '\0';
        foreach (var c in english)
        {
            if (skipUntil != '\0')
            {
                text.Append(c);
                skipUntil = c == skipUntil ? '\0' : skipUntil;
                continue;
            }

            skipUntil = c switch { '{' => '}', '<' => '>', '&' => ';', _ => '\0' };
            var at = Plain.IndexOf(c, StringComparison.Ordinal);
            text.Append(at >= 0 ? Accented[at] : c);
        }

        return text.Append(Close).ToString();
    }

    private static bool Active => CultureInfo.CurrentUICulture.Name.Equals(Tag, StringComparison.OrdinalIgnoreCase);

    private sealed class Factory(IStringLocalizerFactory inner) : IStringLocalizerFactory
    {
        public IStringLocalizer Create(Type resourceSource) => new Localizer(inner.Create(resourceSource));

        public IStringLocalizer Create(string baseName, string location) => new Localizer(inner.Create(baseName, location));
    }

    private sealed class Localizer(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => Active ? new LocalizedString(name, Transform(name)) : inner[name];

        public LocalizedString this[string name, params object[] arguments] => Active
            ? new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, Transform(name), arguments))
            : inner[name, arguments];

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);
    }
}
