using Vigil.Cli;

return await CliApp.RunAsync(args, CliEnvironment.FromProcess());
