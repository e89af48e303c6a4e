using PickleGuard.Analysis.Taint;
using PickleGuard.Analysis.Tests.Fixtures;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>Django entry points through the URLconf (docs/taint.md, "Django views"), on the fixture site crossfile/djangosite.</summary>
public sealed class DjangoViewTests
{
    private static string SiteRoot => Path.Combine(Path.GetDirectoryName(FixturePaths.CodeRoot)!, "taint", "crossfile", "djangosite");

    private static CodeScanResult ScanSite(Func<string, string, string>? edit = null)
    {
        var files = Directory.GetFiles(SiteRoot, "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var inputs = files.Select(f => new SourceInput(f, System.Text.Encoding.UTF8.GetBytes(edit is null ? File.ReadAllText(f) : edit(f, File.ReadAllText(f)))));
        return new CodeScanner(ModelSet.BuiltIn, TaintOptions.Default).Scan(inputs.ToArray());
    }

    private static Finding At(CodeScanResult result, string file, int line) =>
        Assert.Single(result.Findings, f => f.RuleCode == "PG101" && f.Location.Path.EndsWith(file, StringComparison.Ordinal) && f.Location.Line == line);

    [Fact]
    public void CapturedUrlPartTraceStartsAtTheUrlconf()
    {
        var finding = At(ScanSite(), Path.Combine("shop", "codec.py"), 7);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            [
                "urls.py:9 Source source (remote): URL part 'blob' of django.urls.path(\"stored/<path:blob>/\")",
                "views.py:16 Step passed to parameter 'blob' of 'stored'",
                "views.py:17 Step passed as 'data' to 'restore'",
                "codec.py:6 Step parameter 'data' of 'restore'",
                "codec.py:7 Sink reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => $"{Path.GetFileName(s.Location.Path)}:{s.Location.Line} {s.Kind} {s.Message}"));
        Assert.StartsWith("`pickle.loads` decodes data from URL part 'blob' of django.urls.path(\"stored/<path:blob>/\"), a remote source (4 steps away)",
            finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ViewKwargsTraceStartsAtTheReceiver()
    {
        var finding = At(ScanSite(), Path.Combine("shop", "views.py"), 66);
        Assert.Equal(
            [
                "views.py:63 Source source (remote): self.kwargs of view class ItemView",
                "views.py:63 Step passed as 'raw' to 'unpack'",
                "views.py:65 Step parameter 'raw' of 'unpack'",
                "views.py:66 Sink reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => $"{Path.GetFileName(s.Location.Path)}:{s.Location.Line} {s.Kind} {s.Message}"));
    }

    [Fact]
    public void IncludedViewGetsThePrefixCaptureTracedFromTheIncludingRoute()
    {
        // urls.py includes legacy_urls.py under "t/<str:tenant>/", which includes shop/nested_urls.py under
        // "nested/<str:region>/": `nested(request, tenant, region, blob, page)` gets tenant from the site's URLconf.
        var result = ScanSite();
        var tenant = At(result, Path.Combine("shop", "legacy.py"), 57);
        Assert.Equal(Severity.High, tenant.Severity);
        Assert.Equal(
            [
                $"{Path.Combine("djangosite", "urls.py")}:17 Source source (remote): URL part 'tenant' of django.urls.path(\"t/<str:tenant>/\")",
                $"{Path.Combine("shop", "legacy.py")}:56 Step passed to parameter 'tenant' of 'nested'",
                $"{Path.Combine("shop", "legacy.py")}:57 Sink reaches `pickle.loads` (PG101)",
            ],
            tenant.Trace.Select(s => $"{Tail(s.Location.Path)}:{s.Location.Line} {s.Kind} {s.Message}"));
        Assert.StartsWith($"{Path.Combine("djangosite", "legacy_urls.py")}:", Tail(At(result, Path.Combine("shop", "legacy.py"), 58).Trace[0].Location.Path) + ":", StringComparison.Ordinal);
        Assert.Equal(Severity.Medium, At(result, Path.Combine("shop", "legacy.py"), 59).Severity); // `page`: no route captures it
    }

    private static string Tail(string path) => Path.Combine(Path.GetFileName(Path.GetDirectoryName(path))!, Path.GetFileName(path));

    [Fact]
    public void UnroutedFunctionViewGetsNoUrlParts()
    {
        // Without its route `stored` is a plain function with a `req` parameter: `blob` is of unknown origin.
        var result = ScanSite((file, text) => file.EndsWith("urls.py", StringComparison.Ordinal) ? text.Replace("    path(\"stored/<path:blob>/\", views.stored),\n", "", StringComparison.Ordinal) : text);
        var finding = At(result, Path.Combine("shop", "codec.py"), 7);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Empty(finding.Trace);
    }

    [Fact]
    public void ReturningAnObjectFromARoutedViewIsNoEscape()
    {
        Assert.Equal(Severity.Medium, At(ScanSite(), Path.Combine("shop", "views.py"), 43).Severity);
        // Unrouted, parcel_view is no route handler: returning the parcel lets it escape and the attribute is class-wide.
        var unrouted = ScanSite((file, text) => file.EndsWith("urls.py", StringComparison.Ordinal) ? text.Replace("    path(\"parcel/\", views.parcel_view),\n", "", StringComparison.Ordinal) : text);
        Assert.Equal(Severity.High, At(unrouted, Path.Combine("shop", "views.py"), 43).Severity);
    }
}
