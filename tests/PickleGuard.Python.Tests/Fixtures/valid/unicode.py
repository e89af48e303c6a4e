café = "naïve"
𝔘𝔫𝔦𝔠𝔬𝔡𝔢 = 1
x = "日本語" + 'emoji 😀'
y = f"{café} 😀 {x!r}"
