using System.Globalization;
using MestresCafe.Data.Content;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace MestresCafe.Api.Content;

/// <summary>
/// A course completion certificate as a one-page PDF (PDFsharp): the learner, the course, the date
/// and the verification code with the public address where anyone checks it.
/// </summary>
public static class CertificatePdf
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");
    private static readonly TimeZoneInfo SaoPaulo = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
    private static readonly Lock FontSetup = new();

    /// <summary>Whether this machine has the TrueType fonts the certificate embeds.</summary>
    public static bool CanRender => SystemFontResolver.Available;

    public static byte[] Render(CertificateView certificate, string verifyUrl, string company)
    {
        EnsureFonts();
        var document = new PdfDocument();
        document.Info.Title = $"Certificado - {certificate.CourseTitle}";
        document.Info.Author = company;
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Landscape;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var (width, height) = (page.Width.Point, page.Height.Point);
            var brown = new XSolidBrush(XColor.FromArgb(92, 58, 33));
            gfx.DrawRectangle(new XPen(XColor.FromArgb(92, 58, 33), 4), 24, 24, width - 48, height - 48);
            Line(gfx, company.ToUpperInvariant(), 16, XFontStyleEx.Bold, brown, width, 70);
            Line(gfx, "Certificado de conclusão", 34, XFontStyleEx.Bold, XBrushes.Black, width, 130);
            Line(gfx, "Certificamos que", 14, XFontStyleEx.Regular, XBrushes.Black, width, 200);
            Line(gfx, certificate.StudentName, 28, XFontStyleEx.Bold, brown, width, 240);
            Line(gfx, "concluiu o curso", 14, XFontStyleEx.Regular, XBrushes.Black, width, 290);
            Line(gfx, certificate.CourseTitle, 22, XFontStyleEx.Bold, XBrushes.Black, width, 325);
            var completed = TimeZoneInfo.ConvertTime(certificate.CompletedAt, SaoPaulo);
            Line(gfx, "em " + completed.ToString("d 'de' MMMM 'de' yyyy", PtBr), 14, XFontStyleEx.Regular, XBrushes.Black, width, 370);
            Line(gfx, "Código de verificação: " + certificate.VerificationCode, 12, XFontStyleEx.Bold, XBrushes.Black, width, height - 110);
            Line(gfx, "Confira em " + verifyUrl, 10, XFontStyleEx.Regular, XBrushes.Gray, width, height - 90);
        }

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static void Line(XGraphics gfx, string text, double size, XFontStyleEx style, XBrush brush, double width, double y) =>
        gfx.DrawString(text, new XFont(SystemFontResolver.Family, size, style), brush, new XRect(40, y, width - 80, size * 1.4), XStringFormats.TopCenter);

    // PDFsharp's font resolver is process-wide and may be set once.
    private static void EnsureFonts()
    {
        lock (FontSetup)
        {
            if (GlobalFontSettings.FontResolver is not SystemFontResolver)
            {
                GlobalFontSettings.FontResolver = new SystemFontResolver();
            }
        }
    }

    /// <summary>
    /// The Core build of PDFsharp finds no fonts by itself on Linux: this resolver embeds Liberation
    /// Sans (Debian's fonts-liberation, which the test script and the container image install) or,
    /// failing that, DejaVu Sans.
    /// </summary>
    private sealed class SystemFontResolver : IFontResolver
    {
        public const string Family = "Certificate Sans";

        private static readonly string[][] Candidates =
        [
            ["/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"],
            ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
        ];

        private static readonly string[]? Files = Candidates.FirstOrDefault(pair => pair.All(File.Exists));

        public static bool Available => Files is not null;

        public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            Files is null ? null : new FontResolverInfo(isBold ? "certificate-bold" : "certificate-regular", false, isItalic);

        public byte[]? GetFont(string faceName) => Files is null ? null : File.ReadAllBytes(faceName == "certificate-bold" ? Files[1] : Files[0]);
    }
}
