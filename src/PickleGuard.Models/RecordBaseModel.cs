namespace PickleGuard.Models;

/// <summary>
/// A library base class whose constructor stores each keyword argument in the attribute it names and nothing else
/// (SQLAlchemy's declarative constructor: <c>Job(name=x)</c> sets <c>job.name</c>; <c>job.id</c> is what the
/// database assigns). A project subclass without an <c>__init__</c> of its own, made with keywords only, holds the
/// data of each keyword in that attribute, instead of every argument in every attribute.
/// </summary>
public sealed record RecordBaseModel(
    IReadOnlyList<string> Names,
    string Reason,
    string Reference,
    ModelOrigin Origin);
