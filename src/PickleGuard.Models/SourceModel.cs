namespace PickleGuard.Models;

/// <summary>
/// An API whose value (or call result) is data from outside the program: <c>flask.request.args</c>,
/// <c>socket.socket().recv</c>. <see cref="Kind"/> is the threat-model group (remote, network-data, local, library)
/// users switch on or off. A path matches the source when it equals one of <see cref="Names"/> or extends it by an
/// attribute or call (<c>socket.socket().recv()</c> matches <c>socket.socket().recv</c>). With
/// <see cref="Attributes"/> the source is a client object a call makes (<c>redis.Redis(...)</c>): only those
/// attributes of it are data (what <c>client.get(k)</c> returns), wherever the object is passed or stored, and only
/// the call itself matches (not <c>redis.Redis().set</c>).
/// </summary>
public sealed record SourceModel(string Kind, IReadOnlyList<string> Names, string Reason, string Reference, ModelOrigin Origin)
{
    public IReadOnlyList<string> Attributes { get; init; } = [];

    /// <summary>
    /// Those of <see cref="Attributes"/> that make another client of the same server instead of returning data, with
    /// that client's reads (a Redis pipeline: <c>client.pipeline()</c> is no data, what its <c>execute()</c> returns is).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ClientAttributes { get; init; } = EmptyClientAttributes;

    internal static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> EmptyClientAttributes = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// The argument naming the file the call writes its data to — a path, or a file object opened for writing
    /// (<c>s3.download_file(bucket, key, "/tmp/model.pkl")</c>): reading that file back yields the source's data.
    /// </summary>
    public ArgumentSelector? SavesTo { get; init; }

    /// <summary>
    /// The argument holding the command the call runs (<c>subprocess.run(["curl", url, "-o", path])</c>,
    /// <c>os.system(f"wget {url} -O {path}")</c>): the call is a source only where that command is a curl or wget
    /// download into a file (<c>Analysis.Detection.DownloadCommand</c>), and then only that file holds its data, as
    /// <see cref="SavesTo"/>'s does; the call's result is not the data. <see cref="TaintModels.SourceFor"/> never
    /// returns these (<see cref="TaintModels.CommandRunnerFor"/> does).
    /// </summary>
    public ArgumentSelector? RunsCommand { get; init; }

    /// <summary>
    /// With <see cref="RunsCommand"/>, the keyword that makes the call run its command through a shell
    /// (<c>subprocess.run(..., shell=True)</c>): a string command is split into words only with it set to <c>True</c>,
    /// a list only without. Null when the call always runs a shell (<c>os.system</c>): its command is a string.
    /// </summary>
    public string? ShellKeyword { get; init; }

    /// <summary>
    /// The argument naming a directory the call writes its files into (<c>hf_hub_download(repo, name, local_dir=d)</c>):
    /// every file read back under that directory may hold the source's data, as after an archive extracted there.
    /// </summary>
    public ArgumentSelector? SavesInto { get; init; }

    /// <summary>
    /// The argument naming the URL the call fetches (<c>urlopen(url)</c>, <c>requests.get(url)</c>): a local file path
    /// there (no scheme) makes the call fail instead of returning data, so a helper fetching its parameter returns
    /// network data only to callers that may pass a URL (<c>FunctionAnalyzer</c>, FetchedUrls).
    /// </summary>
    public ArgumentSelector? UrlArgument { get; init; }

    /// <summary>
    /// Methods that set where the receiving object talks (pyzmq's <c>bind</c>, <c>connect</c>): when the same object
    /// is only given addresses of this host (<c>ipc://</c>, <c>inproc://</c>, <c>tcp://127.0.0.1:...</c>,
    /// <c>tcp://localhost:...</c>) in the function that reads it, the data comes from a local process: a local source.
    /// </summary>
    public IReadOnlyList<string> EndpointMethods { get; init; } = [];

    /// <summary>
    /// Whether the <see cref="EndpointMethods"/> also return a context manager that gives the receiver itself to a
    /// <c>with</c> (pyzmq's <c>with sock.connect(addr) as s:</c>): <c>s</c> is then the same object, a source as it is.
    /// </summary>
    public bool EndpointContexts { get; init; }

    /// <summary>
    /// Address families (API paths: <c>socket.AF_UNIX</c>) that make the receiver a local channel when the constructor
    /// that made it is given one as its first argument or <c>family=</c>: the peer of a Unix-domain socket is a process
    /// of this host.
    /// </summary>
    public IReadOnlyList<string> LocalFamilies { get; init; } = [];
}
