using System.CommandLine;
using System.Globalization;
using System.Text;
using PickleGuard.Pickle;
using PickleGuard.Pickle.Conversion;

namespace PickleGuard.Cli.Commands;

/// <summary>
/// <c>pickleguard convert FILE [--to json] [--output OUT] [--allow mod.Class]... [--profile P] [--nan-as-string]</c>:
/// rewrites a pickle's data as tagged JSON without executing it; refuses (exit 1, nothing written) when the file
/// would run anything off the allowlist.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CommandIo io)
    {
        var file = new Argument<string>("FILE") { Description = "Pickle file or model/archive holding one main pickle" };
        var to = new Option<string>("--to") { Description = "Output format (only json)", DefaultValueFactory = _ => "json", HelpName = "FORMAT" };
        to.AcceptOnlyFromAmong("json");
        var output = new Option<string?>("--output", "-o") { Description = "Write the JSON to OUT instead of stdout (written only on success)", HelpName = "OUT" };
        var allow = new Option<string[]>("--allow")
        {
            Description = "Accept the class GLOBAL (module.Class) as an opaque {\"$object\": ...} value (repeatable; dangerous globals are never accepted)",
            HelpName = "GLOBAL",
        };
        var profile = new Option<string?>("--profile") { Description = "Allowlist profile: plain, numpy, torch, sklearn, pandas (default: plain)", HelpName = "PROFILE" };
        profile.AcceptOnlyFromAmong([.. PicklePolicy.Profiles]);
        var policy = new Option<string[]>("--policy") { Description = "Extra pickle policy file with allow/deny entries (repeatable)", HelpName = "FILE" };
        var nanAsString = new Option<bool>("--nan-as-string") { Description = "Write NaN/Infinity as the strings \"NaN\", \"Infinity\", \"-Infinity\" instead of {\"$float\": \"nan\"}" };
        var indent = new Option<bool>("--indent") { Description = "Pretty-print the JSON" };
        var command = new Command("convert", "Convert a pickle's data to tagged JSON without executing it; refuses anything off the allowlist")
        {
            file, to, output, allow, profile, policy, nanAsString, indent,
        };
        command.SetAction(result =>
        {
            var input = Path.GetFullPath(result.GetValue(file)!, io.WorkingDirectory);
            if (!File.Exists(input))
            {
                throw new UsageException($"'{result.GetValue(file)}' does not exist or is not a file");
            }

            PicklePolicy loaded;
            try
            {
                loaded = PicklePolicy.Load(result.GetValue(profile) ?? "plain",
                    (result.GetValue(policy) ?? []).Select(p => Path.GetFullPath(p, io.WorkingDirectory)));
            }
            catch (PicklePolicyException ex)
            {
                throw new UsageException(ex.Message);
            }

            var allowed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in result.GetValue(allow) ?? [])
            {
                if (PickleJsonConverter.CheckAllowable(loaded, name) is { } problem)
                {
                    throw new UsageException(problem);
                }

                allowed.Add(name);
            }

            var options = new ConversionOptions(allowed, result.GetValue(nanAsString), result.GetValue(indent));
            var outputFile = result.GetValue(output) is { } o ? Path.GetFullPath(o, io.WorkingDirectory) : null;
            return Run(io, new PickleJsonConverter(loaded, options), input, outputFile);
        });
        return command;
    }

    private static int Run(CommandIo io, PickleJsonConverter converter, string input, string? outputFile)
    {
        var shown = Path.GetRelativePath(io.WorkingDirectory, input);
        var result = outputFile is null ? ToStdout(io, converter, input) : converter.ConvertToFile(input, outputFile);
        if (!result.Converted)
        {
            foreach (var refusal in result.Refusals)
            {
                io.Error.WriteLine("pickleguard convert: refused: " + refusal);
            }

            io.Error.WriteLine($"pickleguard convert: {shown} was not converted; nothing was written");
            return ExitCodes.Findings;
        }

        var member = result.Member is null ? "" : "!" + result.Member;
        io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pickleguard convert: {shown}{member}: {result.BytesRead} bytes of pickle -> {result.BytesWritten} bytes of JSON{(outputFile is null ? "" : " in " + outputFile)}"));
        return ExitCodes.Clean;
    }

    private static ConversionResult ToStdout(CommandIo io, PickleJsonConverter converter, string input)
    {
        if (ReferenceEquals(io.Out, Console.Out))
        {
            io.Out.Flush();
            var result = converter.Convert(input, Console.OpenStandardOutput);
            if (result.Converted)
            {
                io.Out.WriteLine();
            }

            return result;
        }

        // In-process callers (tests) pass a TextWriter: buffer the JSON for them.
        var buffer = new MemoryStream();
        var buffered = converter.Convert(input, () => buffer);
        if (buffered.Converted)
        {
            io.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        }

        return buffered;
    }
}
