namespace Archiver.Replica;

/// <summary>
/// The small vocabularies the generator writes with, one per language. All sentences are assembled from
/// these hand-written fragments; none is copied from a real post.
/// </summary>
public sealed record Lexicon
{
    public required string Code { get; init; }
    public required bool RightToLeft { get; init; }
    public required string[] Subjects { get; init; }
    public required string[] Verbs { get; init; }
    public required string[] Objects { get; init; }
    public required string[] Places { get; init; }
    public required string[] Times { get; init; }
    /// <summary>Templates over {S} {V} {O} {P} {T}; some carry HTML-special characters on purpose.</summary>
    public required string[] Templates { get; init; }
    public required string[] Tags { get; init; }
    public required string[] FirstNames { get; init; }
    public required string[] LastNames { get; init; }
    /// <summary>ASCII stems for channel and account handles.</summary>
    public required string[] HandleStems { get; init; }
    public required string[] TitleWords { get; init; }
    public required string EditNote { get; init; }
    public required string[] PollQuestions { get; init; }
    public required string[] PollOptions { get; init; }

    public static readonly string[] Emoji = ["👍", "🔥", "😂", "🙏", "❤️", "📢", "⚡", "🤔", "✅", "🚨", "📷", "🇫🇷", "🌍", "😡", "🎉"];

    public static readonly Lexicon French = new()
    {
        Code = "fr",
        RightToLeft = false,
        Subjects = ["Le conseil municipal", "La préfecture", "Notre correspondant", "Le syndicat des cheminots", "Un collectif d'habitants", "La rédaction", "Le ministre", "L'association des riverains"],
        Verbs = ["annonce", "dément", "publie", "conteste", "confirme", "prépare", "reporte", "dévoile"],
        Objects = ["un nouveau rapport", "la fermeture du marché", "les chiffres de la semaine", "une manifestation", "la hausse des loyers", "le budget rectificatif", "un appel à témoins", "la réforme des retraites"],
        Places = ["à Lyon", "à Marseille", "en Bretagne", "place de la République", "à Lille", "dans le Val-de-Marne", "à Toulouse", "près de la gare"],
        Times = ["ce matin", "hier soir", "dès lundi", "cette semaine", "avant l'été", "à midi"],
        Templates = ["{S} {V} {O} {P} {T}.", "{T}, {S} {V} {O}.", "Selon nos sources, {S} {V} {O} {P}.", "« {S} {V} {O} » : on fait le point {P}.", "Q&A : pourquoi {S} {V} {O} ?", "{S} {V} {O} — moins de 5 < 10 personnes {P} !"],
        Tags = ["actualité", "Paris", "grève", "politique", "économie", "climat", "municipales", "transports"],
        FirstNames = ["Camille", "Julien", "Amélie", "Thomas", "Léa", "Hugo", "Chloé", "Mathieu"],
        LastNames = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Roux", "Fournier"],
        HandleStems = ["infolibre", "lechodujour", "gazette", "revue_citoyenne", "quartiers", "depeche"],
        TitleWords = ["L'Écho", "Gazette", "Infos", "Chronique", "Le Fil", "Citoyens"],
        EditNote = "Mise à jour : précisions ajoutées.",
        PollQuestions = ["Faut-il prolonger la grève ?", "Quel sujet pour le prochain direct ?", "Irez-vous voter dimanche ?"],
        PollOptions = ["Oui", "Non", "Je ne sais pas", "Peut-être", "Plus tard"],
    };

    public static readonly Lexicon English = new()
    {
        Code = "en",
        RightToLeft = false,
        Subjects = ["The city council", "Our reporter", "The transport union", "A group of residents", "The newsroom", "The minister", "The regional court", "Local volunteers"],
        Verbs = ["announces", "denies", "publishes", "disputes", "confirms", "prepares", "postpones", "reveals"],
        Objects = ["a new report", "the market closure", "this week's figures", "a protest march", "rising rents", "the emergency budget", "a call for witnesses", "the pension reform"],
        Places = ["in Leeds", "in Bristol", "downtown", "at City Hall", "in the harbour district", "near the station", "in the north", "on Main Street"],
        Times = ["this morning", "last night", "from Monday", "this week", "before summer", "at noon"],
        Templates = ["{S} {V} {O} {P} {T}.", "{T}, {S} {V} {O}.", "Sources say {S} {V} {O} {P}.", "\"{S} {V} {O}\" - the full story {P}.", "Q&A: why {S} {V} {O}?", "{S} {V} {O} & more {P} (turnout < 40%)."],
        Tags = ["news", "breaking", "strike", "politics", "economy", "climate", "elections", "transport"],
        FirstNames = ["Alice", "Ben", "Chloe", "David", "Emma", "Frank", "Grace", "Henry"],
        LastNames = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright"],
        HandleStems = ["freepress", "dailywire_local", "citybeat", "thecourier", "openreport", "newsdesk"],
        TitleWords = ["Courier", "Daily", "Beat", "Report", "Herald", "Dispatch"],
        EditNote = "Update: details added.",
        PollQuestions = ["Should the strike continue?", "Which topic for the next live?", "Will you vote on Sunday?"],
        PollOptions = ["Yes", "No", "Not sure", "Maybe", "Later"],
    };

    public static readonly Lexicon Russian = new()
    {
        Code = "ru",
        RightToLeft = false,
        Subjects = ["Городской совет", "Наш корреспондент", "Профсоюз транспортников", "Группа жителей", "Редакция", "Министр", "Областной суд", "Волонтёры"],
        Verbs = ["объявляет", "опровергает", "публикует", "оспаривает", "подтверждает", "готовит", "переносит", "раскрывает"],
        Objects = ["новый доклад", "закрытие рынка", "цифры недели", "митинг", "рост арендной платы", "бюджет", "призыв к свидетелям", "пенсионную реформу"],
        Places = ["в Казани", "в Новосибирске", "в центре города", "у мэрии", "в порту", "возле вокзала", "на севере", "на Невском"],
        Times = ["сегодня утром", "вчера вечером", "с понедельника", "на этой неделе", "до лета", "в полдень"],
        Templates = ["{S} {V} {O} {P} {T}.", "{T} {S} {V} {O}.", "По нашим данным, {S} {V} {O} {P}.", "«{S} {V} {O}» — подробности {P}.", "Вопрос & ответ: почему {S} {V} {O}?", "{S} {V} {O} {P} (явка < 40%)!"],
        Tags = ["новости", "срочно", "забастовка", "политика", "экономика", "климат", "выборы", "транспорт"],
        FirstNames = ["Анна", "Борис", "Вера", "Григорий", "Дарья", "Егор", "Жанна", "Иван"],
        LastNames = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов"],
        HandleStems = ["svobodnye_novosti", "gorod_segodnya", "otkrytyi_kanal", "vestnik", "narodnaya_pravda", "ekho_regiona"],
        TitleWords = ["Вестник", "Новости", "Эхо", "Город", "Голос", "Хроника"],
        EditNote = "Обновлено: добавлены подробности.",
        PollQuestions = ["Продолжать ли забастовку?", "Какая тема для следующего эфира?", "Пойдёте ли вы на выборы?"],
        PollOptions = ["Да", "Нет", "Не знаю", "Возможно", "Позже"],
    };

    public static readonly Lexicon Arabic = new()
    {
        Code = "ar",
        RightToLeft = true,
        Subjects = ["المجلس البلدي", "مراسلنا", "نقابة النقل", "مجموعة من السكان", "هيئة التحرير", "الوزير", "المحكمة الإقليمية", "المتطوعون"],
        Verbs = ["يعلن", "ينفي", "ينشر", "يعترض على", "يؤكد", "يحضّر", "يؤجل", "يكشف"],
        Objects = ["تقريرا جديدا", "إغلاق السوق", "أرقام الأسبوع", "مسيرة احتجاجية", "ارتفاع الإيجارات", "الميزانية", "نداء للشهود", "إصلاح التقاعد"],
        Places = ["في تونس", "في الدار البيضاء", "في وسط المدينة", "أمام البلدية", "في الميناء", "قرب المحطة", "في الشمال", "في الشارع الرئيسي"],
        Times = ["هذا الصباح", "مساء أمس", "ابتداء من الاثنين", "هذا الأسبوع", "قبل الصيف", "عند الظهر"],
        Templates = ["{S} {V} {O} {P} {T}.", "{T}، {S} {V} {O}.", "حسب مصادرنا، {S} {V} {O} {P}.", "«{S} {V} {O}» — التفاصيل {P}.", "سؤال & جواب: لماذا {S} {V} {O}؟", "{S} {V} {O} {P} (المشاركة < 40%)!"],
        Tags = ["أخبار", "عاجل", "إضراب", "سياسة", "اقتصاد", "مناخ", "انتخابات", "نقل"],
        FirstNames = ["أحمد", "فاطمة", "يوسف", "مريم", "عمر", "ليلى", "سامي", "نور"],
        LastNames = ["العلي", "حداد", "منصور", "الخطيب", "ناصر", "سليمان", "يوسف", "عباس"],
        HandleStems = ["sawt_alnas", "akhbar_alyawm", "almadina_news", "nabd", "alhurra_info", "shahid"],
        TitleWords = ["صوت", "أخبار", "نبض", "المدينة", "شاهد", "الحدث"],
        EditNote = "تحديث: أضيفت تفاصيل.",
        PollQuestions = ["هل يجب أن يستمر الإضراب؟", "ما موضوع البث القادم؟", "هل ستصوت يوم الأحد؟"],
        PollOptions = ["نعم", "لا", "لا أعرف", "ربما", "لاحقا"],
    };

    public static readonly Lexicon German = new()
    {
        Code = "de",
        RightToLeft = false,
        Subjects = ["Der Stadtrat", "Unser Reporter", "Die Gewerkschaft", "Eine Bürgerinitiative", "Die Redaktion", "Die Ministerin", "Das Landgericht", "Freiwillige Helfer"],
        Verbs = ["kündigt", "bestreitet", "veröffentlicht", "kritisiert", "bestätigt", "plant", "verschiebt", "enthüllt"],
        Objects = ["einen neuen Bericht", "die Schließung des Marktes", "die Zahlen der Woche", "eine Kundgebung", "steigende Mieten", "den Nachtragshaushalt", "einen Zeugenaufruf", "die Rentenreform"],
        Places = ["in Leipzig", "in Köln", "in der Innenstadt", "vor dem Rathaus", "im Hafenviertel", "am Bahnhof", "im Norden", "an der Hauptstraße"],
        Times = ["heute Morgen", "gestern Abend", "ab Montag", "diese Woche", "vor dem Sommer", "um zwölf Uhr"],
        Templates = ["{S} {V} {O} {P} {T} an.", "{T}: {S} {V} {O}.", "Nach unseren Informationen {V} {S} {O} {P}.", "„{S} {V} {O}“ – die Hintergründe {P}.", "Fragen & Antworten: warum {S} {O} {V}?", "{S} {V} {O} {P} (Beteiligung < 40 %)!"],
        Tags = ["Nachrichten", "Eilmeldung", "Streik", "Politik", "Wirtschaft", "Klima", "Wahlen", "Verkehr"],
        FirstNames = ["Anna", "Jonas", "Lena", "Lukas", "Marie", "Felix", "Sophie", "Paul"],
        LastNames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"],
        HandleStems = ["freie_stimme", "stadtkurier", "tagesblick", "buergerfunk", "nordecho", "zeitgeschehen"],
        TitleWords = ["Kurier", "Stimme", "Blick", "Echo", "Rundschau", "Funk"],
        EditNote = "Aktualisiert: Details ergänzt.",
        PollQuestions = ["Soll der Streik weitergehen?", "Welches Thema für den nächsten Livestream?", "Gehen Sie am Sonntag wählen?"],
        PollOptions = ["Ja", "Nein", "Weiß nicht", "Vielleicht", "Später"],
    };

    public static readonly IReadOnlyList<Lexicon> All = [French, English, Russian, Arabic, German];

    public string Sentence(ref Rng rng)
    {
        var template = rng.Pick(Templates);
        var sentence = template
            .Replace("{S}", rng.Pick(Subjects), StringComparison.Ordinal)
            .Replace("{V}", rng.Pick(Verbs), StringComparison.Ordinal)
            .Replace("{O}", rng.Pick(Objects), StringComparison.Ordinal)
            .Replace("{P}", rng.Pick(Places), StringComparison.Ordinal)
            .Replace("{T}", rng.Pick(Times), StringComparison.Ordinal);
        // Templates may open with a lower-case phrase; a sentence starts with a capital.
        var first = sentence.AsSpan().IndexOfAnyExcept("«„\"");
        return first < 0 || !char.IsLower(sentence[first]) ? sentence
            : string.Concat(sentence.AsSpan(0, first), char.ToUpperInvariant(sentence[first]).ToString(), sentence.AsSpan(first + 1));
    }

    /// <summary>A sentence without its closing punctuation, for titles and questions.</summary>
    public string Phrase(ref Rng rng) => Sentence(ref rng).TrimEnd('.', '!', '?', '؟', ' ');

    public string PersonName(ref Rng rng) => $"{rng.Pick(FirstNames)} {rng.Pick(LastNames)}";
}
