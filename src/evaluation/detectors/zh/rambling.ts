// How 滔滔不绝 shows in a Chinese turn (read by ../rambling.ts): what a lecture talks about, and how
// a direct reply opens. Sizes are Han characters.
import type { RamblingSpec } from "../families.ts";

export const rambling: RamblingSpec = {
  monologue: 220,
  minSize: 75,
  ratio: 3,
  // The speaker, the bank and its machinery.
  self: [
    "我",
    "咱",
    "本行",
    "银行",
    "行里",
    "总行",
    "分行",
    "支行",
    "网点",
    "柜台",
    "后台",
    "部门",
    "系统",
    "公司",
    "{rule}",
  ],
  customer: ["你"],
  lecture: [
    // Walking through the procedure step by step.
    "首先",
    "其次",
    "然后",
    "接着",
    "之后",
    "最后",
    "第(一|二|三|四|五)(步|个|点|种)?",
    "一方面",
    "{rule}",
    "(环节|手续|审核|审批|复核|清算|受理)",
    // Generalities and explanations instead of this customer's case.
    "(一般|通常|基本上|原则上|按理说|理论上|正常来说|正常情况下)",
    "(其实|说实话|说白了|实际上|事实上|本来|毕竟|要知道)",
    "(是这样的|怎么说呢|这么说吧|我跟你(说|讲))",
    "(很多|不少|好多|每个|大部分|一些)(客户|人|用户)",
    "像你这(种|样)",
    // Every case but this one: kinds, possibilities, conditions, and requirement after requirement.
    "(分|有)(为)?(好|几|两|三|四|很多)?(种|类)",
    "(一|另一|还有一)(种|类)(是|情况)",
    "(很多|好多|各种|几种|不少)(原因|情况|可能|种类|类型)",
    "(可能|也可能|又可能|比如|例如|譬如)",
    "(还要|也要|还得|都要|还需要|另外还|再加上)",
    // Background and digressions.
    "(以前|过去|当年|那时候|之前有|有一次|我刚(来|入行|工作))",
    "(另外|还有|顺便|对了|而且|再说|包括|涉及)",
  ],
  glue: ["(因为|所以|由于|因此|之所以)", "(如果|要是|假如|否则|不然|的话)", "(或者|要么)"],
  address: ["你好", "先生", "女士", "小姐", "阿姨", "叔叔", "大爷", "大妈", "老师", "师傅", "大哥", "大姐"],
  reply: [
    "(是的|对的|没错|可以的|能的|好的|没问题|当然)",
    "(能|可以|不能|不可以|不行|会|不会|有|没有|已经|还没)(,|。|!)",
  ],
  acting: [
    "(我|我们)(马上|现在|这就|立刻|先|可以|会|来|就|已经|刚)?..3(帮|给|为|替|陪)你",
    "(帮|给|为|替)你..3{act}",
    "我(们)?(马上|现在|这就|立刻|已经|刚(才|刚)?)..3{act}",
  ],
  offering: [
    "我(们)?(可以|会|来|先|预先|提前|帮|给|替|马上|现在|这就)..4{act}",
    "(你)?(也)?可以(用|在|到|通过|选择|先|直接|预约|申请|上传|打|拨|办|改)",
  ],
  answers: [
    {
      asks: ["(多久|多长时间|多少|几(天|个|点|号|时|分钟|小时)|什么时候|哪天|何时|要多)"],
      opening: ["#(个)?(工作日|天|小时|分钟|周|星期|块|元|号|点)"],
    },
    { asks: ["(为什么|为啥|怎么会|凭什么|干嘛)"], opening: ["(是)?因为", "原因是"], atStart: true },
  ],
  lectureMin: 4,
  lecturePer: 30,
};
