using System.Runtime.CompilerServices;
using MestresCafe.Api.Accounts;

namespace MestresCafe.Api.Tests.Infrastructure;

/// <summary>
/// The in-process servers and the tests' own account helpers hash passwords with a small work factor:
/// hundreds of sign-ins at the real 600,000 iterations cost minutes of CPU on a two-core machine.
/// Server processes (<see cref="MestresCafe.Testing.ServerProcess"/>) keep the real one, as
/// RevocationAcrossServersTests checks.
/// </summary>
internal static class PasswordWorkFactor
{
    public const int ForTests = 1_000;

    [ModuleInitializer]
    internal static void Lower() => PasswordHasher.UseWorkFactorForTests(ForTests);
}
