namespace PickleGuard.Models;

/// <summary>
/// A call whose result carries the provenance of its input: a function (<see cref="Names"/>, API paths) or a method
/// by name on any receiver (<see cref="Methods"/>). Used for constant reasoning (a file opened by a literal path) and by
/// the taint engine: <see cref="Opens"/> says the result reads the file at the path it is given (<c>open(path)</c>,
/// <c>path.read_bytes()</c>), so tainted data through it is the content of a file the input chose, not the input itself;
/// <see cref="Whole"/> says the result is the input itself, objects included (<c>typing.cast(T, value)</c>): a client or
/// request object passed through keeps its data attributes, which an unknown call's result does not. With
/// <see cref="SavesTo"/> the call also writes that input into the file the selected argument names (a path, or a file
/// object opened for writing: <c>shutil.copyfileobj(response, handle)</c>). With <see cref="FetchesUrls"/> the path may
/// also be a URL whose content the call downloads: an opener reads it (<c>fsspec.open("https://...")</c>), any other
/// propagator returns the local path of the downloaded copy (<c>cached_path("https://...")</c>); a literal remote URL
/// makes the result network data. With <see cref="KeepsReceiver"/> a method named like a container's mutator
/// (<c>add</c>) leaves its receiver's data as it was: the arguments go elsewhere (an ORM session's <c>add</c> hands the
/// object to the database, and the session's queries return the database's rows).
/// </summary>
public sealed record PropagatorModel(
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Methods,
    PropagatorSource From,
    ArgumentSelector? Argument,
    string Reason,
    string Reference,
    ModelOrigin Origin,
    bool Opens,
    bool Whole = false,
    ArgumentSelector? SavesTo = null,
    bool FetchesUrls = false,
    bool KeepsReceiver = false);
