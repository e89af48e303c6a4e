namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// The member names of tagged JSON values (docs/convert.md, docs/schemas/pickle-json.schema.json). A JSON object
/// whose first member name starts with a single <c>$</c> is a tag; user dict keys starting with <c>$</c> are written
/// with one more <c>$</c> in front.
/// </summary>
internal static class JsonTags
{
    public const string Id = "$id";
    public const string Ref = "$ref";
    public const string List = "$list";
    public const string Dict = "$dict";
    public const string Tuple = "$tuple";
    public const string Set = "$set";
    public const string FrozenSet = "$frozenset";
    public const string Bytes = "$bytes";
    public const string ByteArray = "$bytearray";
    public const string Float = "$float";
    public const string Str = "$str";
    public const string Complex = "$complex";
    public const string Decimal = "$decimal";
    public const string DateTime = "$datetime";
    public const string Date = "$date";
    public const string Time = "$time";
    public const string TimeDelta = "$timedelta";
    public const string TimeZone = "$timezone";
    public const string OrderedDict = "$ordereddict";
    public const string DefaultDict = "$defaultdict";
    public const string Deque = "$deque";
    public const string Counter = "$counter";
    public const string Uuid = "$uuid";
    public const string NdArray = "$ndarray";
    public const string Global = "$global";
    public const string Object = "$object";
    public const string Persistent = "$persistent";
}
