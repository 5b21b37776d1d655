using System.Globalization;
using System.Text.RegularExpressions;
using LearnHub.Grains;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer.Courses;

/// <summary>
/// Edits a cohort course with the form that created it. The store reconciles the course's certificates in the same
/// transaction: a removed requirement can complete the course for people; an added one never revokes a certificate.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed partial class EditModel(CertificateStore certificates, CatalogStore catalog, IStringLocalizer<OrganizerResource> t) : CourseFormModel(certificates, catalog, t)
{
    /// <summary>The course as stored.</summary>
    public CourseView Course { get; private set; } = null!;

    /// <summary>The form filled from the course, or 404.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await Certificates.FindCourseAsync(id, cancellationToken) is not { } course)
        {
            return NotFound();
        }

        Course = course;
        (Title, Description, CeHours, Statement) = (course.Title, course.Description, LearnHub.Grains.Certificates.CeHours.Format(course.CeHoursCenti), course.Statement);
        Sessions = course.Sessions.Select(s => s.Id).ToList();
        await LoadSeriesAsync(cancellationToken);
        return Page();
    }

    /// <summary>Validates everything before writing anything; on a problem shows the form again as typed and changes nothing.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await Certificates.FindCourseAsync(id, cancellationToken) is not { } course)
        {
            return NotFound();
        }

        Course = course;
        await LoadSeriesAsync(cancellationToken);
        var draft = Validate();
        if (Errors.None)
        {
            try
            {
                var changes = await Certificates.UpdateCourseAsync(id, draft, User.AccountId(), cancellationToken);
                TempData["Notice"] = changes.Count == 0
                    ? Text["Nothing changed."].Value
                    : Text["Saved the course: {0}.", string.Join(Text["; "].Value, changes.Select(Change))].Value;
                return Redirect($"/organizer/courses/{id}");
            }
            catch (DomainException e)
            {
                Errors.Add("sessions", e.Message);
            }
        }

        return Refused();
    }

    // The store names each change in English (the words its callers log); the notice reads them in the organizer's
    // language. A change the store words some other way is shown as it is.
    private string Change(string change)
    {
        if (change == "description")
        {
            return LowerFirst(Text["Description"].Value);
        }

        if (change == "statement")
        {
            return LowerFirst(Text["Statement"].Value);
        }

        if (TitleChange().Match(change) is { Success: true } title)
        {
            return Text["title \"{0}\" → \"{1}\"", title.Groups[1].Value, title.Groups[2].Value].Value;
        }

        if (HoursChange().Match(change) is { Success: true } hours)
        {
            return Text["CE hours {0} → {1}", hours.Groups[1].Value, hours.Groups[2].Value].Value;
        }

        if (SessionsChange().Match(change) is { Success: true } sessions)
        {
            return sessions.Groups[1].Value == "added"
                ? Text["required sessions added: {0}", sessions.Groups[2].Value].Value
                : Text["required sessions removed: {0}", sessions.Groups[2].Value].Value;
        }

        return change;
    }

    // "Description" and "Statement" are the resources' entries; inside the sentence they read with a small first letter.
    private static string LowerFirst(string text) =>
        text.Length == 0 ? text : char.ToLower(text[0], CultureInfo.CurrentCulture) + text[1..];

    [GeneratedRegex("^title \"(.*)\" → \"(.*)\"$", RegexOptions.Singleline)]
    private static partial Regex TitleChange();

    [GeneratedRegex("^CE hours (.*) → (.*)$", RegexOptions.Singleline)]
    private static partial Regex HoursChange();

    [GeneratedRegex("^required sessions (added|removed): (.*)$", RegexOptions.Singleline)]
    private static partial Regex SessionsChange();
}
