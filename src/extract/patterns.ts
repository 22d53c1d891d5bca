// Text patterns of page boilerplate, in the languages chrono-node reads dates in and a few more.
// Each is matched against an element's whole text (normalized), never a substring of prose,
// except NEWSLETTER, which only ever selects small boxes (see boilerplate.ts).

/** Strips decoration around a label: "— Advertisement —", "[ADVERTISEMENT]", "Share this:". */
export function labelText(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase();
}

/** An ad label alone ("Advertisement", "Anzeige", "Advertisement - Continue reading below"…). */
export const AD_LABEL = new RegExp(
  '^(?:' +
    [
      'advertisements?',
      'advertising',
      'advert',
      'ads?',
      'sponsored(?: (?:content|links?|post|by .{1,40}))?',
      'paid (?:content|post)',
      'promoted(?: content)?',
      'partner content',
      'anzeigen?',
      'werbung',
      'publicit[ée]',
      'pub',
      'publicidad',
      'publicidade',
      'pubblicit[àa]',
      'annuncio',
      'реклама',
      'advertentie',
      'reclame',
      'reklama',
      'annons',
      'mainos',
      'reklame',
      '广告',
      '広告',
      '광고',
      'إعلان',
      'פרסומת',
      'διαφήμιση',
    ].join('|') +
    ')(?:\\W+(?:continue|scroll|story|article|text)\\W+(?:reading|down|continues|with content)(?:\\W+below)?)?$' +
    '|^(?:(?:the )?(?:story|article|text|content) continues (?:below|after)(?: (?:this )?(?:advertisement|ad))?|continue reading below|scroll (?:down )?to continue(?: (?:reading|with content))?|weiterlesen nach der anzeige|la suite après (?:cette )?(?:la )?publicité)$',
  'iu',
);

/** "Continue reading" and "Read more" links on their own. */
export const CONTINUE_READING =
  /^(?:continue reading|keep reading|read more|read the (?:full|whole|rest of the) (?:story|article|post)|read full (?:story|article)|weiterlesen|mehr lesen|lire la suite|continuer la lecture|seguir leyendo|leer m[aá]s|sigue leyendo|leggi tutto|continua a leggere|lees verder|verder lezen|continuar lendo|leia mais|читать далее|続きを読む|(?:learn more|more|mehr|mehr erfahren|weiter|en savoir plus|lire plus|plus|más|meer|di più|saiba mais)$)\b/iu;

/** Share bars: text that starts by asking to share ("Share this:", "Share on Facebook"). */
export const SHARE_START =
  /^(?:share(?: (?:this|the)(?: article| post| story| page)?)?|share (?:on|via|to)|tweet this|teilen|artikel teilen|diesen artikel teilen|partager(?: cet article)?|compartir(?: en)?|condividi|delen|compartilhe|compartilhar|поделиться)(?:\W|$)/iu;
/** Text made only of sharing services and actions ("Facebook Twitter Email Print"). */
export const SHARE_ONLY =
  /^(?:(?:share|sharing|tweet|email|e-mail|mail|print|facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|telegram|copy|link|copy link|pocket|flipboard|mastodon|bluesky|threads|messenger|sms)(?:\W+|$))+$/iu;

/** A newsletter signup prompt (searched inside small boxes only). */
export const NEWSLETTER =
  /\b(?:sign up|subscribe|register)\b.{0,40}\bnewsletters?\b|\bnewsletters?\b.{0,40}\b(?:sign up|subscribe)\b|\bget (?:our|the) .{0,30}newsletter|\bsubscribe\b.{0,60}\b(?:new posts|updates|inbox|for free)\b|newsletter abonnieren|zum newsletter anmelden|(?:abonnez|inscrivez)-vous à (?:notre|la) (?:newsletter|lettre)|suscr[ií]bete a (?:nuestro|nuestra|la) (?:newsletter|bolet[ií]n)|iscriviti alla (?:nostra )?newsletter|schrijf je in voor (?:de|onze) nieuwsbrief|assine (?:a|nossa) newsletter/iu;

/** Headings of related-content lists ("Related posts", "You may also like", "Lesen Sie auch"). */
export const RELATED_HEADING =
  /^(?:related(?: posts| articles| stories| content| reading| coverage| links)?(?: (?:and links|from .{1,40}))?|up next|what (?:others|people) are reading|(?:this|these) might (?:also )?(?:be )?interest(?:ing)? (?:to )?you|read (?:more|next|also)|more (?:stories|from .{1,40}|on .{1,40}|like this|to read|news|articles)|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you| reading| stories| articles)?|see also|further reading|popular (?:posts|stories|articles)|most (?:read|popular|viewed|shared|commented)(?: (?:in|on|from) .{1,30})?|trending(?: now)?|weitere artikel|lesen sie auch|mehr zum thema|das könnte sie auch interessieren|à lire aussi|lire aussi|sur le même sujet|articles similaires|vous aimerez aussi|(?:también )?te puede interesar|noticias relacionadas|artículos relacionados|leggi anche|articoli correlati|ver também|leia também|gerelateerde artikelen|lees ook|похожие статьи|читайте также|関連記事|関連する記事|相关文章|相關文章|مقالات ذات صلة|اقرأ أيضا)$/iu;

/** Headings of comment sections ("3 Comments", "Leave a Reply", "12 thoughts on …"). */
export const COMMENTS_HEADING =
  /^(?:\d+ )?(?:comments?|responses?|replies|leave a (?:reply|comment)|post a comment|add a comment|join the (?:discussion|conversation)|discussion|kommentare?|schreibe einen kommentar|commentaires?|laisser un commentaire|comentarios?|deja un comentario|commenti|lascia un commento|reacties|комментарии)(?: \d+)?$|^(?:\d+|one|no) (?:thoughts? on|responses? to|comments? on|replies to)\b/iu;

/** "Read more: <link>" lines that point elsewhere. */
export const READ_MORE_PREFIX =
  /^(?:read more|related|see also|also read|read also|more|also on .{1,30}|recommended|you (?:may|might) also like|(?:también )?te puede interesar|potrebbe interessarti|das könnte sie (?:auch )?interessieren|vous (?:pourriez|aimerez) (?:aussi|aimer)|lesen sie auch|mehr zum thema|siehe auch|lire aussi|à lire aussi|voir aussi|lee también|leer m[aá]s|ver también|leggi anche|leia também|lees ook|читайте также)\s*:/iu;

/** A byline line ("By Jane Doe", "Von Anna Schmidt", "Par Marie Dupont"). */
export const BYLINE_PREFIX =
  /^(?:(?:by|written by|posted by|words by|story by|reporting by|von|par|por|di|door|av|af|от)\s+|(?:author|autor|auteur|autore|auteur|автор|著者)\s*:\s*)(?=\S)/iu;

/** Reading-time notes ("5 min read", "3 Minuten Lesezeit"). */
export const READING_TIME =
  /\b\d+\s*(?:min(?:ute)?s?|minuten|minutos|minuti)\.?\s*(?:read|de lecture|lesezeit|de lectura|di lettura|leestijd|leitura)\b|\blesezeit\b/iu;

/** Link text of a "next page" / "older posts" link (after labelText). */
export const NEXT_PAGE =
  /^(?:older(?: posts| entries| articles| stories)?|next(?: page| posts)?|more (?:posts|articles|stories)|weiter|nächste seite|ältere (?:beiträge|artikel|einträge)|suivant|page suivante|articles (?:plus anciens|précédents)|siguiente|página siguiente|entradas anteriores|successivo|pagina successiva|articoli (?:precedenti|più vecchi)|volgende|oudere berichten|próxima|próxima página|mais antigos|следующая|次へ|次のページ|下一页)$/iu;

/** Page-feedback prompts ("Was this page helpful?"), with the buttons that follow them. */
export const FEEDBACK_HEADING =
  /^(?:was this (?:page|article|information|content|answer) (?:helpful|useful)|is this page useful|did you find (?:this|what you were looking for).*|war diese seite hilfreich|cette page vous a-t-elle été utile|¿?te ha resultado útil esta página)$/iu;

/** A copyright notice on its own ("Copyright 2023 The Associated Press. All rights reserved."). */
export const COPYRIGHT = /^(?:copyright\b|©|\(c\)\s)/iu;

/**
 * An affiliate disclosure ("This post contains affiliate links…", "We may earn a commission when
 * you buy through our links", "As an Amazon Associate I earn from qualifying purchases"): a
 * notice of the site, not the post's text. Matched in short blocks only (see boilerplate.ts); a
 * post about affiliate programs says "streamers earn a commission", never "we may earn" of itself.
 */
export const DISCLOSURE =
  /\b(?:(?:this|the|our) (?:posts?|articles?|pages?|site|guides?|reviews?|stor(?:y|ies)|content) (?:may |might )?(?:contains?|includes?|uses?) (?:affiliate|sponsored) links?|(?:some|our) posts may contain affiliate links|(?:we|i) (?:may |might |will |could )?(?:earn|receive|get|make) (?:a )?(?:small )?(?:commissions?|compensation|(?:affiliate )?fees?)|as an amazon associate,? (?:i|we) earn|purchases? (?:made )?through (?:our|these|the) links|may contain affiliate links|affiliate link policy)\b/iu;
