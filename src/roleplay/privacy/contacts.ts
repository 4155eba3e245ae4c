// E-mail addresses in every spelling trainees use to dodge filters ("li at qq dot com",
// "li（at）qq。com", "li艾特qq点com", "li[at]qq[dot]com", full-width "＠"), and names and home
// addresses when the trainee says that is what they are giving.
import type { Span } from "./kinds.ts";

const OPEN = "[(\\[{<【〔〈「]";
const CLOSE = "[)\\]}>】〕〉」]";
const AT = new RegExp(`@|${OPEN}\\s*(?:at|@|艾特)\\s*${CLOSE}|(?<=[A-Za-z0-9._\\s])at(?=[\\s])|艾特|圈a`, "gi");
const DOT = `(?:\\s*[.。]\\s*|\\s*${OPEN}\\s*(?:dot|点|點|\\.)\\s*${CLOSE}\\s*|\\s+dot\\s+|\\s*[点點]\\s*)`;
const LOCAL = new RegExp(`(?:[A-Za-z0-9_%+\\-]+${DOT})*[A-Za-z0-9_%+\\-]*[A-Za-z0-9]\\s*$`, "i");
const DOMAIN = new RegExp(
  `^\\s*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:${DOT}[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*${DOT}([A-Za-z]{2,})(?![A-Za-z0-9])`,
  "i",
);
// Top-level domains accepted when "at"/"dot" are spelled out, so prose ("look at this") stays.
const SPOKEN_TLDS = new Set(
  "com cn net org edu gov io co hk tw mo uk us jp sg de fr me info biz top xyz vip cc tv ai app dev email mail online site ru ca au in kr nz ch nl it es".split(
    " ",
  ),
);

export function emailSpans(text: string): Span[] {
  const spans: Span[] = [];
  AT.lastIndex = 0;
  for (let m = AT.exec(text); m !== null; m = AT.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 64), m.index);
    const local = LOCAL.exec(before);
    if (!local) continue;
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 128);
    const domain = DOMAIN.exec(after);
    if (!domain) continue;
    const spelled = m[0] !== "@";
    if (spelled && !SPOKEN_TLDS.has((domain[1] ?? "").toLowerCase())) continue;
    spans.push({ start: m.index - local[0].length, end: m.index + m[0].length + domain[0].length, kind: "email" });
  }
  return spans;
}

// Common surnames (single and compound), so "姓名和地址" is not taken for a name.
const SURNAMES =
  "诸葛王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘蒋蔣蔡余于杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟臧闵閔苟邬鄔边邊卞姬师師仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池乐樂匡廉";
const COMPOUND =
  "欧阳|歐陽|司马|司馬|诸葛|諸葛|上官|东方|東方|皇甫|尉迟|尉遲|公孙|公孫|慕容|令狐|宇文|长孙|長孫|司徒|夏侯|端木|独孤|獨孤|南宫|南宮|西门|西門";
const GIVEN = "(?:[\\u4e00-\\u9fff](?<![的了吗呢啊吧和与跟在是叫为我你您他她们，。]))";
const NAME_ZH = new RegExp(
  `(?:姓名|户名|戶名|名字叫|名字是|我叫|本人叫|持卡人|开户人|開戶人|账户名|賬戶名|收款人|联系人|聯繫人)(?:(?:是|为|為|叫|[:：\\s])*((?:${COMPOUND}|[${SURNAMES}])${GIVEN}{1,2})|(?:是|为|為|叫|[:：\\s])+(${GIVEN}{2,3}))`,
  "g",
);
const NAME_EN =
  /(?:[Mm]y name is|[Mm]y name's|[Nn]ame is|[Ff]ull name|[Aa]ccount name|[Aa]ccount holder|[Cc]ard ?holder|[Nn]ame)\s*[:：]?\s*((?:[A-Z][A-Za-z'’-]+|[A-Z]{2,})(?:\s+(?:[A-Z][A-Za-z'’-]+|[A-Z]{2,})){0,3})/g;
const NAME_EN_LOWER =
  /(?:my name is|my name's)\s+([a-z][a-z'’-]+(?:\s+[a-z][a-z'’-]+){0,2})(?=\s*(?:[,.!?;]|$|and\b))/gi;

export function nameSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const re of [NAME_ZH, NAME_EN, NAME_EN_LOWER]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const name = m[2] ?? m[1] ?? "";
      // Without a known surname, only a plain name: not "是什么", "不对", "要填全".
      if (m[2] !== undefined && /^[什哪谁誰多请請和与及等]|[不要写寫填错錯改栏欄么麼]/.test(name)) continue;
      spans.push({ start: m.index + m[0].length - name.length, end: m.index + m[0].length, kind: "name" });
    }
  }
  return spans;
}

const ADDRESS_ZH =
  /(?:家庭住址|通讯地址|通訊地址|联系地址|聯繫地址|居住地址|现住址|住址|地址|家住|住在|居住在|住的是|现居)(?:是|为|為|在|[:：\s])*/g;
const ZH_MARKER = /[省市区區县縣镇鎮乡鄉村路街道巷弄号號楼樓室栋棟单元苑园園里]/;
const ADDRESS_EN =
  /(?:my address is|address is|home address|address\s*:|i live at|i live in|live at|lives at|residing at|reside at)\s*/gi;
const EN_MARKER =
  /\d+[A-Za-z]?\s+[A-Za-z].*?\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|square|sq|terrace|close|crescent|highway|hwy|parkway|pkwy|circle|cir|alley|row|walk|gardens?|estate|building|tower|flat|apartment|apt|unit)\b/i;

export function addressSpans(text: string): Span[] {
  const spans: Span[] = [];
  ADDRESS_ZH.lastIndex = 0;
  for (let m = ADDRESS_ZH.exec(text); m !== null; m = ADDRESS_ZH.exec(text)) {
    const start = m.index + m[0].length;
    const clause = /^[^。！？!?\n；;，,]{2,60}/.exec(text.slice(start))?.[0] ?? "";
    if (ZH_MARKER.test(clause) && !/^(?:哪|什么|什麼|多少|吗|嗎|呢|是否|有没有|需要|要|变更|修改|更新|改)/.test(clause))
      spans.push({ start, end: start + clause.length, kind: "address" });
  }
  ADDRESS_EN.lastIndex = 0;
  for (let m = ADDRESS_EN.exec(text); m !== null; m = ADDRESS_EN.exec(text)) {
    const start = m.index + m[0].length;
    const rest = text.slice(start, start + 140);
    // To the end of the sentence: "!", "?", a line break, or a full stop that does not end an
    // abbreviation such as "St." or "Apt.".
    const stop = /[!?\n;]|(?<!\b(?:st|rd|ave|dr|apt|no|blvd|ln|ct|pl|sq|hwy|mt|ft|n|s|e|w))\.(?:\s|$)/i.exec(rest);
    const clause = rest.slice(0, stop ? stop.index : rest.length).trimEnd();
    if (clause.length >= 4 && (EN_MARKER.test(clause) || /\d/.test(clause)))
      spans.push({ start, end: start + clause.length, kind: "address" });
  }
  return spans;
}
