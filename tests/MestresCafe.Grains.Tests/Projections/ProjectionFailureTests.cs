using System.Text.Json;
using MestresCafe.Grains.Projections;
using MestresCafe.Testing;
using Npgsql;

namespace MestresCafe.Grains.Tests.Projections;

/// <summary>Only a refusal by the database's rules may dead-letter an event; an outage, a lock or a busy server never does.</summary>
public sealed class ProjectionFailureTests
{
    [Theory]
    [InlineData("23514")] // check_violation
    [InlineData("23502")] // not_null_violation
    [InlineData("22003")] // numeric_value_out_of_range
    [InlineData("22P02")] // invalid_text_representation
    public void A_data_or_integrity_error_is_permanent(string sqlState) =>
        Assert.True(ProjectionFailure.IsPermanent(Refusal(sqlState)));

    [Theory]
    [InlineData("23503")] // foreign_key_violation: the referenced row may be another grain's projection still on its way
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    [InlineData("57P01")] // admin_shutdown
    [InlineData("57014")] // query_canceled (statement timeout)
    [InlineData("53300")] // too_many_connections
    [InlineData("55P03")] // lock_not_available
    public void A_passing_error_is_transient(string sqlState) =>
        Assert.False(ProjectionFailure.IsPermanent(Refusal(sqlState)));

    [Fact]
    public void An_event_that_cannot_be_serialized_is_permanent_even_when_wrapped() =>
        Assert.True(ProjectionFailure.IsPermanent(new InvalidOperationException("projection failed", new JsonException("cycle"))));

    [Fact]
    public async Task A_stopped_postgres_is_transient()
    {
        await using var postgres = await PostgresServerProcess.StartAsync();
        await using var dataSource = NpgsqlDataSource.Create(postgres.ServerConnectionString + ";Timeout=3;Pooling=false");
        await using (var before = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(System.Data.ConnectionState.Open, before.State);
        }

        await postgres.CrashAsync();
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());

        Assert.False(ProjectionFailure.IsPermanent(error));
        Assert.Null(ProjectionFailure.SqlStateOf(error));
    }

    private static PostgresException Refusal(string sqlState) => new("refused", "ERROR", "ERROR", sqlState);
}
