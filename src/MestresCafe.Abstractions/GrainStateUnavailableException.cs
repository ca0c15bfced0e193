namespace MestresCafe;

/// <summary>
/// The grain's state could not be persisted; the call was not applied durably. Retryable: the
/// grain reactivates from storage on the next call.
/// </summary>
[GenerateSerializer, Alias("mc.GrainStateUnavailableException")]
public sealed class GrainStateUnavailableException : Exception
{
    public GrainStateUnavailableException()
    {
    }

    public GrainStateUnavailableException(Exception inner)
        : base("The change could not be persisted; retry.", inner)
    {
    }
}
