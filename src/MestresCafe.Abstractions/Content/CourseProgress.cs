using System.Security.Cryptography;

namespace MestresCafe.Content;

/// <summary>
/// A learner's progress through a course: the percentage of required lessons completed (100 only
/// when every one is), completion, and the lesson positions a player reports.
/// </summary>
public static class CourseProgress
{
    // No 0/O, 1/I/L: a code read off paper is typed back without ambiguity.
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>Whole percent, rounded down so that 100 means every required lesson is done.</summary>
    public static int Percentage(int requiredLessons, int completedRequired) =>
        requiredLessons <= 0 ? 0 : Math.Clamp(completedRequired * 100 / requiredLessons, 0, 100);

    /// <summary>A course with required lessons is complete when all of them are.</summary>
    public static bool IsComplete(int requiredLessons, int completedRequired) => requiredLessons > 0 && completedRequired >= requiredLessons;

    /// <summary>The position kept: within the lesson's length (a player may overshoot by a few seconds).</summary>
    public static int ClampPosition(int positionSeconds, int? durationMinutes) =>
        durationMinutes is > 0 and var minutes ? Math.Clamp(positionSeconds, 0, minutes * 60) : Math.Max(positionSeconds, 0);

    /// <summary>Who may open a lesson: a preview lesson anyone, the others an active enrolment.</summary>
    public static bool MayOpen(bool lessonIsPreview, bool activelyEnrolled) => lessonIsPreview || activelyEnrolled;

    /// <summary>A certificate's verification code, "XXXX-XXXX-XXXX" (about 70 bits of randomness).</summary>
    public static string NewVerificationCode()
    {
        Span<char> code = stackalloc char[14];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = i is 4 or 9 ? '-' : CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
        }

        return new string(code);
    }

    public static bool IsVerificationCode(string code) =>
        code.Length == 14 && code.Select((c, i) => i is 4 or 9 ? c == '-' : CodeAlphabet.Contains(c, StringComparison.Ordinal)).All(ok => ok);
}
