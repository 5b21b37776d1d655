using Orleans;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Registrations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LearnHub.Web.Api;

/// <summary>Registration without an account: register, and see or cancel through the private manage token.</summary>
public static class RegistrationApi
{
    /// <summary>
    /// The largest registration body taken (413 beyond): a registration is a few short fields and an accommodation
    /// request, far below this.
    /// </summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Registration").AllowAnonymous();
        api.MapPost("/sessions/{id:guid}/registrations", Register).WithName("Register").RequireRateLimiting(Accounts.Policies.RegistrationLimit)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .WithSummary("Register for a session (and, for a webinar, its learning exchange).");
        api.MapGet("/registrations/{token}", Show).WithName("GetRegistration")
            .WithSummary("The registrations behind a manage token.");
        api.MapDelete("/registrations/{token}", Cancel).WithName("CancelRegistration")
            .WithSummary("Cancel every registration behind a manage token. Cancelling twice is harmless.");
        return routes;
    }

    private static async Task<Results<Created<RegistrationCreatedDto>, ValidationProblem, ProblemHttpResult>> Register(
        Guid id, RegistrationRequest? body, RegistrationDesk desk, HttpRequest request, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing body",
                detail: "Send a JSON body with name, email, agency, jobRole, timeZone, optionally accommodations and includeLearningExchange, and recordingConsent (true or false) when the session asks for it, and answers (an object keyed by question id, see GET /api/sessions/{id}) when its series asks questions, and optionally language (\"en\", \"es\" or \"zh-Hans\") for the mail sent to the registrant.");
        }

        var result = await desk.RegisterAsync(id, body, cancellationToken);
        switch (result.Outcome)
        {
            case DeskOutcome.Invalid:
                return TypedResults.ValidationProblem(
                    result.Errors!.ToDictionary(e => e.Key, e => new[] { e.Value }),
                    detail: result.Message, title: "The registration is not valid");
            case DeskOutcome.UnknownSession:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"There is no session {id}.");
            case DeskOutcome.Closed:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Registration closed", detail: result.Message,
                    type: "https://learnhub.example/problems/registration-closed");
            case DeskOutcome.AlreadyRegistered:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already registered", detail: result.Message,
                    type: "https://learnhub.example/problems/already-registered");
        }

        var receipt = result.Receipt!;
        var manageUrl = ApiLinks.ManageUrl(request, result.ManageToken!);
        var exchange = receipt.LearningExchange is { } le
            ? new SessionRegistrationDto(le.SessionId, le.RegistrationId, RegistrationDesk.StatusWire(le.Outcome), le.WaitlistPosition)
            : null;
        var dto = new RegistrationCreatedDto(receipt.Session.RegistrationId!.Value, RegistrationDesk.StatusWire(receipt.Session.Outcome),
            receipt.Session.WaitlistPosition, manageUrl, exchange);
        return TypedResults.Created($"/api/registrations/{result.ManageToken}", dto);
    }

    private static async Task<Results<Ok<List<ManagedRegistrationDto>>, ProblemHttpResult>> Show(
        string token, ManageLinks links, CancellationToken cancellationToken)
    {
        var group = await links.OpenAsync(token, cancellationToken);
        return group is null
            ? InvalidToken()
            : TypedResults.Ok(group.Registrations.Select(ManagedRegistrationDto.From).ToList());
    }

    private static async Task<Results<Ok<List<ManagedRegistrationDto>>, ProblemHttpResult>> Cancel(
        string token, ManageLinks links, SessionDirectory sessions, CancellationToken cancellationToken)
    {
        var group = await links.OpenAsync(token, cancellationToken);
        if (group is null)
        {
            return InvalidToken();
        }

        foreach (var registration in group.Registrations.Where(r => r.Status != RegistrationStatus.Cancelled))
        {
            await sessions.TryRunAsync(registration.SessionId, g => g.CancelAsync(registration.Id, cancellationToken), cancellationToken);
        }

        var after = await links.OpenAsync(token, cancellationToken);
        return TypedResults.Ok(after!.Registrations.Select(ManagedRegistrationDto.From).ToList());
    }

    private static ProblemHttpResult InvalidToken() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Manage link not valid", detail: "This manage link is not valid. Check that it was copied whole from your confirmation.");
}
