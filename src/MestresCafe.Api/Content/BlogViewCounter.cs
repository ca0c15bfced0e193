using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MestresCafe.Data.Content;

namespace MestresCafe.Api.Content;

/// <summary>
/// Counts post views in this server's memory and adds them to <c>blog_posts.view_count</c> in one
/// statement per flush (<see cref="RunOnceAsync"/>), so a read costs no write. Views counted since
/// the last flush are lost only if the server dies; a flush that fails gives its counts back.
/// </summary>
public sealed class BlogViewCounter(BlogAdminStore store)
{
    private readonly ConcurrentDictionary<long, StrongBox<int>> _views = new();

    public void Record(long postId) => Interlocked.Increment(ref _views.GetOrAdd(postId, static _ => new StrongBox<int>()).Value);

    /// <summary>Writes the views counted since the last flush; returns the posts updated.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var taken = new List<(long PostId, int Views)>();
        foreach (var (postId, count) in _views)
        {
            if (Interlocked.Exchange(ref count.Value, 0) is > 0 and var views)
            {
                taken.Add((postId, views));
            }
        }

        if (taken.Count == 0)
        {
            return 0;
        }

        try
        {
            return await store.AddViewsAsync(taken.ConvertAll(t => t.PostId), taken.ConvertAll(t => t.Views), cancellationToken);
        }
        catch
        {
            foreach (var (postId, views) in taken)
            {
                Interlocked.Add(ref _views.GetOrAdd(postId, static _ => new StrongBox<int>()).Value, views);
            }

            throw;
        }
    }
}
