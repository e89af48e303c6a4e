namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Source data <see cref="Unit"/> fetched from the URL its parameter <see cref="Parameter"/> holds, unchanged
/// (<c>def get_text(self, filepath): return urlopen(filepath).read()</c>): a call giving that parameter a local file
/// path gets no data from the fetch (FunctionAnalyzer.FetchedUrls.cs).
/// </summary>
internal sealed record FetchedUrl(TaintUnit Unit, int Parameter);
