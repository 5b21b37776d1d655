using LearnHub.Silo.Hosting;
using LearnHub.Web.Hosting;

// Content comes from beside the binaries, so `dotnet run` from the repository root (where ./data lives) still finds
// appsettings.json; relative settings such as LearnHub:DataDirectory stay relative to where LearnHub was started.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLearnHubStorage();
builder.AddLearnHubSilo();
builder.AddLearnHubGrains();
builder.AddLearnHubWeb();

var app = builder.Build();
app.UseLearnHubWeb();
app.Run();

/// <summary>The web host's entry point (named so the integration tests can start it).</summary>
public partial class Program;
