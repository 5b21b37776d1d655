using LearnHub.Silo.Hosting;
using LearnHub.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddLearnHubStorage();
builder.AddLearnHubSilo();
builder.AddLearnHubWeb();

var app = builder.Build();
app.UseLearnHubWeb();
app.Run();

/// <summary>The web host's entry point (named so the integration tests can start it).</summary>
public partial class Program;
