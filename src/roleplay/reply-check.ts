// What the engine checks before it believes or shows the customer model: the words it cites for
// a mood change or an ending must be the trainee's, and its reply must be something this customer
// could say (their language and script, a chat-sized length, no labels, JSON, instructions or
// lists of what it knows). A reply that fails is asked for once more, then the turn waits.
import { LANGUAGE_NAMES_FOR_MODEL } from "../i18n/languages.ts";
import type { PersonaFile } from "../domain/persona.ts";
import type { Turn } from "../domain/session.ts";
import { normaliseForQuote } from "../evaluation/normalise.ts";
import { locateQuote } from "../evaluation/verify.ts";
import type { ChatMessage, LlmPort } from "../llm/port.ts";
import { CUSTOMER_SCHEMA_NAME, CustomerReply } from "./customer.ts";

/**
 * Whether the model's citation is in what the trainee wrote in the messages this reply answers,
 * compared the way evaluation quotes are (width, punctuation, spacing normalised). A citation of a
 * character or two would be found in almost anything, so it proves nothing.
 */
export function citationHolds(quote: string | null | undefined, latest: Pick<Turn, "seq" | "text">[]): boolean {
  if (!quote) return false;
  const trainee = latest.map((t) => ({ seq: t.seq, norm: normaliseForQuote(t.text) }));
  const found = locateQuote(quote, null, trainee);
  if (!found) return false;
  const han = (found.quote.match(/\p{Script=Han}/gu) ?? []).length;
  const letters = (found.quote.match(/\p{L}/gu) ?? []).length - han;
  return han >= 2 || letters >= 4;
}

export type ReplyProblem =
  | "empty"
  | "too_long"
  | "wrong_language"
  | "wrong_script"
  | "role_label"
  | "json"
  | "instructions"
  | "fact_list";

/** Characters a Chinese reply may have by default: generous for one to three spoken sentences. */
export const DEFAULT_MAX_REPLY_CHARS = 300;
/** An English sentence takes about three times the characters of the same one in Chinese. */
const CHARS_PER_CHINESE_CHAR = { "zh-CN": 1, en: 3 } as const;

const HAN_RE = /\p{Script=Han}/gu;
const OTHER_CJK_RE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LATIN_RE = /\p{Script=Latin}/gu;
const ROLE_LABEL_RE =
  /(?:^|\n)\s*[[(【（<]?\s*(?:客户|顾客|客服|柜员|银行职员|工作人员|员工|系统|助手|用户|旁白|customer|client|agent|staff|assistant|system|user|ai|bot|teller|clerk|narrator)\s*[\])】）>]?\s*[:：]/iu;
const STAFF_MARKER_RE = /staff-[0-9a-f]{6}/i;
const JSON_RE = /^\s*[{[]|"\w+"\s*:|```/;
// Words of the customer's own instructions: a reply using them is reading its prompt aloud.
const PROMPT_WORDS_RE =
  /trigger_id|trigger_quote|revealed_fact_ids|mood_start|say it when|de-?escalation|hard limits?|system prompt|my instructions|my prompt|提示词|系统提示|我的设定|我的指令|隐藏信息|触发条件/i;
const LIST_LINE_RE = /^\s*(?:[-*•·]|\d+[.、)）])\s+/gmu;

// Traditional forms of the characters bank customers' Chinese uses (from the shipped personas,
// rubrics and training material, converted with OpenCC). A reply in traditional script holds
// several of them in any sentence; simplified text holds none. A table, because a converter
// takes a third of a second of blocking work to load.
const TRADITIONAL_ONLY = new Set([
  ...("戶編寫緝這麼個擬體認機幣準備積轉進騙賬語學員銀對話結後評給樣說為統計從發問幾隱實緒讓靜滿離開領導場檢項種單獨難變復現須與內見節際設終親試裝輯會邊標錯類誤帶釋選數橫線裡稱顯題憤趕時間" +
    "傷義電網點誰門訴熱聽處簡歷錢歡隊長頭禪愛專業詞來兩塊張號碼沒當換辦負責條無鍾過議隨們動達級連續煩審氣盤別範鍵視頻錄嗎懷覺揚規擋營絕則罵髒擊針賠償諾驗鈔並該臺記關講師覽庫總圖籤報篩決" +
    "經組額觸敵亂閉異論強執應較餘於盡緣贏歲讀調還斷術請卻銷證詐跡補費徑務權錨確測爭辯籠馬諉幫據參預腳環筆縮響載運監啟壞繼刪輸齊創訓匯幹廳剛車攢遠脫築萬櫃穩縣紙東勁諒約優願兒謝嘆撫協劉頂" +
    "層貼鐵資質側臨掛鎖唄衝況眾舉聲賴鬧態誠懇買壇談騰訛謊搶奪禮區減練壓貫討擔啞虧憑褲顧詢聯寧驟鑑繳遷敗尷夠凍駁園殼溫丟狀鄭護習慣貨壯館歸崗細識兌賣繞違風圍徵暫許險傳遞喪墊憊養醫樁國陣屬" +
    "遺產適黃輪嘗輕吳職盜緊書遲順腦猶損竅紹倉薦爺孫鏡紀贅閨堅爾頓牽軟囑蓋紅塗謂夥撥嚇攔懼勸團飯鍋劃鑰獲趙饋彎蹤蕩辭慮財績頁淨構獎勵徹陳擺臉緩維興傾惡潔觀糾擇詳韓溝戰價靈採極悅疇訊龐雜偽" +
    "郵邏暢織勢聞濾麥礙鋼漲競廣闡敘洩尋階將撐課儀諮橋儲貸澀稜樂勞壘樹絡獻徠雙潛購煉訂奧豐嚴勝濟隸綜僅睞踐鞏掃瀏礎貝鑽惱紛貓閘纏攏靚憶曉懣攜樓畢諸輿擴譽瑣擾魚納蛻粵婦誇麗媽諷訪舊"),
]);

/** How many characters of the text are traditional forms. */
function traditionalCharacters(text: string): number {
  let n = 0;
  for (const c of text) if (TRADITIONAL_ONLY.has(c)) n++;
  return n;
}

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

/** What is wrong with a customer reply before anyone sees it (empty when nothing is). */
export function replyProblems(text: string, persona: PersonaFile, maxChars = DEFAULT_MAX_REPLY_CHARS): ReplyProblem[] {
  const t = text.trim();
  if (t === "") return ["empty"];
  const problems: ReplyProblem[] = [];
  if ([...t].length > maxChars * CHARS_PER_CHINESE_CHAR[persona.language]) problems.push("too_long");
  const han = count(t, HAN_RE);
  const latin = count(t, LATIN_RE);
  const otherCjk = count(t, OTHER_CJK_RE);
  if (persona.language === "en") {
    // A Chinese word or name may slip into English speech; whole Chinese phrases may not.
    if (han + otherCjk >= 3) problems.push("wrong_language");
  } else {
    // Chinese speech holds a few Latin letters (ATM, App, VIP), never mostly Latin text.
    if (han === 0 || latin > han || otherCjk > 0) problems.push("wrong_language");
    else {
      if (traditionalCharacters(t) >= 2) problems.push("wrong_script");
    }
  }
  const name = persona.name.trim();
  const labelled =
    ROLE_LABEL_RE.test(t) ||
    STAFF_MARKER_RE.test(t) ||
    (name.length > 0 && new RegExp(`(?:^|\\n)\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*[:：]`).test(t));
  if (labelled) problems.push("role_label");
  if (JSON_RE.test(t)) problems.push("json");
  if (PROMPT_WORDS_RE.test(t) || mentionsIds(t, persona)) problems.push("instructions");
  if (count(t, LIST_LINE_RE) >= 2 || listsFacts(t, persona)) problems.push("fact_list");
  return problems;
}

/** The persona's trigger and fact ids, written as ids (in brackets, or with _ or -). */
function mentionsIds(text: string, persona: PersonaFile): boolean {
  const ids = [
    ...persona.facts.map((f) => f.id),
    ...persona.emotion.escalation.map((t) => t.id),
    ...persona.emotion.deescalation.map((t) => t.id),
  ];
  return ids.some((id) => text.includes(`[${id}]`) || (/[_-]/.test(id) && text.includes(id)));
}

/** Two or more hidden facts word for word, or a fact's "say it when" condition: the list, not speech. */
function listsFacts(text: string, persona: PersonaFile): boolean {
  const norm = normaliseForQuote(text);
  const verbatim = persona.facts.filter((f) => {
    const fact = normaliseForQuote(f.fact).replace(/[.!?]$/, "");
    return [...fact].length >= 8 && norm.includes(fact);
  }).length;
  const condition = persona.facts.some((f) => {
    const when = normaliseForQuote(f.reveal_when).replace(/[.!?]$/, "");
    return [...when].length >= 6 && norm.includes(when);
  });
  return verbatim >= 2 || condition;
}

export type CustomerAnswer = { ok: true; reply: CustomerReply } | { ok: false; problems: ReplyProblem[] };

/**
 * Asks the customer model, checks the reply, and asks once more (saying what was wrong) when it
 * cannot be shown. Model failures (LlmError) propagate as before.
 */
export async function askCustomer(
  llm: LlmPort,
  messages: ChatMessage[],
  persona: PersonaFile,
  sessionId: string,
  maxChars = DEFAULT_MAX_REPLY_CHARS,
): Promise<CustomerAnswer> {
  const ask = async (msgs: ChatMessage[]) =>
    (
      await llm.structured({
        role: "customer",
        messages: msgs,
        schema: CustomerReply,
        schemaName: CUSTOMER_SCHEMA_NAME,
        sessionId,
        purpose: "customer_turn",
      })
    ).value;
  const first = await ask(messages);
  const problems = replyProblems(first.text, persona, maxChars);
  if (problems.length === 0) return { ok: true, reply: first };
  const again = await ask([...messages, { role: "system", content: retryNote(problems, persona) }]);
  const still = replyProblems(again.text, persona, maxChars);
  return still.length === 0 ? { ok: true, reply: again } : { ok: false, problems: still };
}

/** For the model, not for people: why its reply was not used. */
function retryNote(problems: ReplyProblem[], persona: PersonaFile): string {
  const language = LANGUAGE_NAMES_FOR_MODEL[persona.language];
  const why: Record<ReplyProblem, string> = {
    empty: "it was empty",
    too_long: "it was far too long for a chat message",
    wrong_language: `it was not in ${language}`,
    wrong_script: "it used traditional characters",
    role_label: "it carried a speaker label",
    json: "its text contained JSON or code",
    instructions: "it repeated your instructions",
    fact_list: "it listed what you know instead of saying one thing naturally",
  };
  return `(Not part of the conversation: your last reply could not be used because ${problems
    .map((p) => why[p])
    .join(
      "; ",
    )}. Write it again as this customer: only the words you say, in ${language}, one to three short sentences, as JSON.)`;
}
